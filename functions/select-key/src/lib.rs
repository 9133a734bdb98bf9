//! Function `select-key`: wizard step 2: select the digital key.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/activate/select", steps::select_key::show)
        .post("/activate/select", steps::select_key::submit)
}
