//! Function `oidc-logout`: OpenID Connect RP-Initiated Logout: ends the citizen's session for a service.

use keys_core::permissions::Need;
use keys_core::routes::Route;
use keys_core::web;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = &[Need::Table, Need::MasterSecret, Need::SigningPublicKeys];

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::OidcLogout, keys_oidc::logout::handle)
        .serve(Route::OidcLogoutPost, keys_oidc::logout::handle)
        .serve(Route::OidcLogoutConfirm, keys_oidc::logout::confirm)
}
