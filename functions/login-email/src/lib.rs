//! Function `login-email`: login with a security code by e-mail.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/login/email", steps::login_email::show)
        .post("/login/email", steps::login_email::submit)
        .post("/login/email/resend", steps::login_email::resend)
}
