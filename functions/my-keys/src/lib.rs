//! Function `my-keys`: My digital keys: list the keys, start an activation, sign out.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/keys", steps::keys::show)
        .post("/keys/activate", steps::keys::activate)
        .post("/keys/sign-out", steps::keys::sign_out)
        .get("/logged-out", steps::keys::logged_out)
}
