//! Function `confirm-email`: wizard step 1: confirm or change the e-mail address.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new().get("/activate/email", steps::pending::confirm_email)
}
