//! Steps whose issue has not landed yet: real routes and rendering, saying they are not available.

use super::{Page, require_session};
use crate::app::App;
use crate::view::{Action, Level, View};
use crate::web::Ctx;
use axum::extract::State;
use axum::response::Response;

fn pending_view(ctx: &Ctx, step: &'static str, progress: Option<u8>) -> Response {
    let mut view = View::new(step, ctx.lang, "step-unavailable-title").message(
        Level::Info,
        "step.unavailable",
        None,
    );
    if let Some(n) = progress {
        view = view.progress(n);
    }
    let back = Action::get("back", "/keys", view.t("button-back"));
    ctx.render(view.action(back))
}

macro_rules! pending_step {
    ($(#[$doc:meta] $name:ident => $step:literal, $progress:expr, $session:literal;)*) => {$(
        #[$doc]
        pub async fn $name(State(app): State<App>, ctx: Ctx) -> Page {
            if $session {
                require_session(&app, &ctx).await?;
            }
            Ok(pending_view(&ctx, $step, $progress))
        }
    )*};
}

pending_step! {
    /// `GET /activate/app/install` (wizard step 3 by app).
    activate_app => "activate.app.install", Some(3), true;
    /// `GET /login/app`.
    login_app => "login.app", None, false;
}
