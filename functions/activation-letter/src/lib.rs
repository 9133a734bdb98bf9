//! Function `activation-letter`: a citizen opens the mailed link, types the letter's code, chooses username and password, and goes on to the wizard.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this. The
/// password-reset notice goes through the outbox (mail-dispatch sends it).
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::Activation, steps::activation_letter::show)
        .serve(Route::ActivationSubmit, steps::activation_letter::submit)
        .serve(Route::ActivationAccount, steps::activation_letter::account)
        .serve(
            Route::ActivationAccountSubmit,
            steps::activation_letter::account_submit,
        )
}
