//! Function `activate-email`: wizard step 3 by e-mail: the registration code.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/activate/email-code", steps::activate_email::show)
        .post("/activate/email-code", steps::activate_email::submit)
        .post("/activate/email-code/resend", steps::activate_email::resend)
        .post("/activate/email-code/cancel", steps::activate_email::cancel)
}
