//! Function `login`: the login step: username, password and the choice of key.

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
        .serve(Route::Stylesheet, web::stylesheet)
        .serve(Route::ShowPasswordScript, web::show_password_script)
}
