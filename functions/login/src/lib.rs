//! Function `login`: the login step: username, password and the choice of key.

use keys_core::{steps, web};

/// This function's routes; the SAM template must declare exactly these.
pub fn router() -> web::StepRouter {
    web::StepRouter::new()
        .get("/", steps::home)
        .get("/login", steps::login::show)
        .post("/login", steps::login::submit)
        .get("/assets/style.css", web::stylesheet)
}
