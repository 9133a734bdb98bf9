//! Function `login-app`: login with a security code from the mobile app.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/login/app", steps::login_app::show)
        .post("/login/app", steps::login_app::submit)
}
