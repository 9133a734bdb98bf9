//! Function `confirm-email`: wizard step 1: confirm or change the e-mail address.

use keys_core::{steps, web};

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
