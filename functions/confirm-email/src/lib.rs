//! Function `confirm-email`: wizard step 1: confirm or change the e-mail address.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/activate/email", steps::confirm_email::show)
        .post("/activate/email/confirm", steps::confirm_email::confirm)
        .post("/activate/email/change", steps::confirm_email::change)
        .get("/activate/email/verify", steps::confirm_email::verify)
        .post(
            "/activate/email/verify",
            steps::confirm_email::verify_submit,
        )
        .post(
            "/activate/email/verify/cancel",
            steps::confirm_email::verify_cancel,
        )
}
