//! Function `activate-email`: wizard step 3 by e-mail: the registration code.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/activate/email-code", steps::activate_email::show)
        .post("/activate/email-code", steps::activate_email::submit)
        .post("/activate/email-code/resend", steps::activate_email::resend)
        .post("/activate/email-code/cancel", steps::activate_email::cancel)
}
