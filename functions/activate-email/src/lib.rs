//! Function `activate-email`: wizard step 3 by e-mail: the registration code.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::ActivateEmail, steps::activate_email::show)
        .serve(Route::ActivateEmailSubmit, steps::activate_email::submit)
        .serve(Route::ActivateEmailResend, steps::activate_email::resend)
        .serve(Route::ActivateEmailCancel, steps::activate_email::cancel)
}
