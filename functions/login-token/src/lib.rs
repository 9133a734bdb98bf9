//! Function `login-token`: login with the token card, the phase-out notice and the token refusal.

use keys_core::permissions::{self, Need};
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/login/token", steps::token::show)
        .post("/login/token", steps::token::submit)
        .get("/login/token/notice", steps::token::notice)
        .post(
            "/login/token/notice/activate",
            steps::token::notice_activate,
        )
        .post(
            "/login/token/notice/other-key",
            steps::token::notice_other_key,
        )
        .post("/login/token/notice/close", steps::token::notice_close)
        .get("/login/token/unavailable", steps::token::unavailable)
}
