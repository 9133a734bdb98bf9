//! Function `login-app`: login with a security code from the mobile app.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/login/app", steps::login_app::show)
        .post("/login/app", steps::login_app::submit)
}
