//! Function `activate-app`: wizard step 3 by mobile app: install, pair with the QR code, confirm a code.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::InstallApp, steps::activate_app::install)
        .serve(Route::InstallAppNext, steps::activate_app::install_next)
        .serve(Route::PairApp, steps::activate_app::pair)
        .serve(Route::PairAppSubmit, steps::activate_app::pair_submit)
}
