//! Function `confirmation`: wizard step 4: confirmation and end of session.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::Confirmation, steps::confirmation::show)
        .serve(
            Route::ConfirmationEndSession,
            steps::confirmation::end_session,
        )
}
