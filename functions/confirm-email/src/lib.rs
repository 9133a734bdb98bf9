//! Function `confirm-email`: wizard step 1: confirm or change the e-mail address.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::ConfirmEmail, steps::confirm_email::show)
        .serve(Route::ConfirmEmailConfirm, steps::confirm_email::confirm)
        .serve(Route::ConfirmEmailChange, steps::confirm_email::change)
        .serve(Route::VerifyEmail, steps::confirm_email::verify)
        .serve(
            Route::VerifyEmailSubmit,
            steps::confirm_email::verify_submit,
        )
        .serve(
            Route::VerifyEmailCancel,
            steps::confirm_email::verify_cancel,
        )
}
