//! Function `select-key`: wizard step 2: select the digital key.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::SelectKey, steps::select_key::show)
        .serve(Route::SelectKeySubmit, steps::select_key::submit)
}
