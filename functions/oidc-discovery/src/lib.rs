//! Function `oidc-discovery`: OpenID Connect discovery and the JWKS of the ID-token signing keys.

use keys_core::permissions::Need;
use keys_core::routes::Route;
use keys_core::web;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = &[Need::MasterSecret, Need::SigningPublicKeys];

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(
            Route::OidcConfiguration,
            keys_oidc::discovery::configuration,
        )
        .serve(Route::OidcJwks, keys_oidc::discovery::jwks)
}
