//! Function `activate-app`: wizard step 3 by mobile app: install, pair with the QR code, confirm a code.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new().get("/activate/app/install", steps::pending::activate_app)
}
