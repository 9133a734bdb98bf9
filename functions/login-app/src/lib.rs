//! Function `login-app`: login with a security code from the mobile app.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::LoginApp, steps::login_app::show)
        .serve(Route::LoginAppSubmit, steps::login_app::submit)
}
