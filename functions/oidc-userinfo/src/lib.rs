//! Function `oidc-userinfo`: OpenID Connect userinfo endpoint: claims for a bearer access token.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::web;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::OidcUserinfo, keys_oidc::userinfo::get)
        .serve(Route::OidcUserinfoPost, keys_oidc::userinfo::post)
}
