//! Function `login`: the login step (username, password and the choice of key), and the ways back in: forgotten username and forgotten password.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS (it mails codes); its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP_SENDING_MAIL;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::Home, steps::login::home)
        .serve(Route::Login, steps::login::show)
        .serve(Route::LoginSubmit, steps::login::submit)
        .serve(Route::ForgottenUsername, steps::forgotten_username::show)
        .serve(
            Route::ForgottenUsernameSubmit,
            steps::forgotten_username::submit,
        )
        .serve(Route::ForgottenPassword, steps::forgotten_password::show)
        .serve(
            Route::ForgottenPasswordSubmit,
            steps::forgotten_password::submit,
        )
        .serve(Route::RecoveryCode, steps::forgotten_password::code)
        .serve(
            Route::RecoveryCodeSubmit,
            steps::forgotten_password::code_submit,
        )
        .serve(
            Route::RecoverySecondKey,
            steps::forgotten_password::second_key,
        )
        .serve(
            Route::RecoverySecondKeySubmit,
            steps::forgotten_password::second_key_submit,
        )
        .serve(
            Route::RecoveryNewPassword,
            steps::forgotten_password::new_password,
        )
        .serve(
            Route::RecoveryNewPasswordSubmit,
            steps::forgotten_password::new_password_submit,
        )
        .serve(Route::RecoveryOffice, steps::forgotten_password::office)
        .serve(Route::RecoveryDone, steps::forgotten_password::done)
        .serve(Route::Stylesheet, web::stylesheet)
        .serve(Route::ShowPasswordScript, web::show_password_script)
}
