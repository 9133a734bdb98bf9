//! Function `oidc-token`: OpenID Connect token endpoint: client authentication, code and PKCE, the signed ID token.

use keys_core::permissions::Need;
use keys_core::routes::Route;
use keys_core::web;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = &[Need::Table, Need::MasterSecret, Need::SignIdTokens];

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new().serve(Route::OidcToken, keys_oidc::token::token)
}
