//! Function `my-keys`: My digital keys (list the keys, start an activation, sign out), My profile and Info.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::MyKeys, steps::my_keys::show)
        .serve(Route::MyKeysActivate, steps::my_keys::activate)
        .serve(Route::MyKeysSignOut, steps::my_keys::sign_out)
        .serve(Route::Profile, steps::profile::show)
        .serve(Route::ProfileLanguage, steps::profile::save_language)
        .serve(Route::ProfileEmail, steps::profile::email)
        .serve(Route::ProfileEmailSubmit, steps::profile::email_submit)
        .serve(Route::ProfileEmailVerify, steps::profile::email_verify)
        .serve(
            Route::ProfileEmailVerifySubmit,
            steps::profile::email_verify_submit,
        )
        .serve(Route::PasswordChange, steps::profile::password)
        .serve(Route::PasswordChangeSubmit, steps::profile::change_password)
        .serve(Route::Info, steps::info::show)
        .serve(Route::LoggedOut, steps::my_keys::logged_out)
}
