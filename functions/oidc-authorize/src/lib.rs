//! Function `oidc-authorize`: OpenID Connect authorization endpoint: a service's request, the citizen's login, the code.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::web;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::OidcAuthorize, keys_oidc::authorize::handle)
        .serve(Route::OidcAuthorizePost, keys_oidc::authorize::handle)
        .serve(Route::OidcResume, keys_oidc::authorize::resume)
        .serve(Route::OidcCancel, keys_oidc::authorize::cancel)
}
