//! Function `office`: the registration office's console (officers only): log in, find a citizen, unlock, enrol, issue and revoke activation letters.

use keys_core::permissions::{self, Need};
use keys_core::routes::Route;
use keys_core::{steps, web};

/// What this function does on AWS; its role in the SAM template grants exactly this. The
/// letter's mail goes through the outbox (mail-dispatch sends it).
pub const NEEDS: &[Need] = permissions::STEP;

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .serve(Route::OfficeLogin, steps::office::login)
        .serve(Route::OfficeLoginSubmit, steps::office::login_submit)
        .serve(Route::OfficeSignOut, steps::office::sign_out)
        .serve(Route::OfficeHome, steps::office::home)
        .serve(Route::OfficeFind, steps::office::find)
        .serve(Route::OfficeCitizen, steps::office::citizen)
        .serve(Route::OfficeUnlock, steps::office::unlock)
        .serve(Route::OfficeIssue, steps::office::issue)
        .serve(Route::OfficeRevoke, steps::office::revoke)
        .serve(Route::OfficeEnrol, steps::office::enrol)
        .serve(Route::OfficeEnrolSubmit, steps::office::enrol_submit)
}
