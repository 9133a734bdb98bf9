//! Function `my-keys`: My digital keys: list the keys, start an activation, sign out.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::MyKeys, steps::my_keys::show)
        .serve(Route::MyKeysActivate, steps::my_keys::activate)
        .serve(Route::MyKeysSignOut, steps::my_keys::sign_out)
        .serve(Route::PasswordChange, steps::my_keys::password)
        .serve(Route::PasswordChangeSubmit, steps::my_keys::change_password)
        .serve(Route::LoggedOut, steps::my_keys::logged_out)
}
