//! Function `my-keys`: My digital keys: list the keys, start an activation, sign out.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/keys", steps::keys::show)
        .post("/keys/activate", steps::keys::activate)
        .post("/keys/sign-out", steps::keys::sign_out)
        .get("/logged-out", steps::keys::logged_out)
}
