//! Function `login-email`: login with a security code by e-mail.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/login/email", steps::login_email::show)
        .post("/login/email", steps::login_email::submit)
        .post("/login/email/resend", steps::login_email::resend)
}
