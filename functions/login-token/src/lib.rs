//! Function `login-token`: login with the token card, the phase-out notice and the token refusal.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::LoginToken, steps::login_token::show)
        .serve(Route::LoginTokenSubmit, steps::login_token::submit)
        .serve(Route::TokenNotice, steps::login_token::notice)
        .serve(
            Route::TokenNoticeActivate,
            steps::login_token::notice_activate,
        )
        .serve(
            Route::TokenNoticeOtherKey,
            steps::login_token::notice_other_key,
        )
        .serve(Route::TokenNoticeClose, steps::login_token::notice_close)
        .serve(Route::TokenUnavailable, steps::login_token::unavailable)
}
