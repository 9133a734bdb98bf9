//! Info: what the digital keys are, their levels, the token's phase-out and its date, and the help desk's contact.

use super::request::{Page, session_of};
use crate::i18n::format_date;
use crate::view::{Block, View};
use crate::web::Ctx;
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::routes::Route;
use time::format_description::well_known::Rfc3339;

/// The page's sections, by anchor (the recommendation's *Why?* links to `#levels`).
pub const SECTIONS: [&str; 4] = ["keys", "levels", "phase-out", "help"];

/// `GET /info`: for everyone; a logged-in citizen sees it in the frame, under the Info tab.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    // Read only to frame the page: the text is the same for everyone.
    let _visit = session_of(&app, &ctx).await?;
    let sunset = app.settings.token_sunset_at;
    let lang = ctx.lang;
    let date = format_date(lang, sunset.unix_timestamp());
    let ended = app.clock.now() >= sunset;
    let view = View::new(Route::Info, lang, "info-title")
        .data(
            "sunset_at",
            sunset.format(&Rfc3339).unwrap_or_default().into(),
        )
        .data("help_desk", app.settings.help_desk.clone().into())
        .data("sections", SECTIONS.to_vec().into())
        .paragraph("info-intro")
        .heading("keys", "info-keys-title")
        .paragraph("info-keys-text");
    let keys = ["info-key-email", "info-key-app", "info-key-token"]
        .iter()
        .map(|id| view.t(id))
        .collect();
    let view = view
        .block(Block::List(keys))
        .heading("levels", "info-levels-title")
        .paragraph("info-levels-text");
    let levels = [
        "info-level-low",
        "info-level-substantial",
        "info-level-high",
    ]
    .iter()
    .map(|id| view.t(id))
    .collect();
    let view = view
        .block(Block::List(levels))
        .paragraph("info-levels-why")
        .heading("phase-out", "info-phase-out-title");
    let phase_out = view.t_args(
        if ended {
            "info-phase-out-ended"
        } else {
            "info-phase-out-text"
        },
        &[("date", date.into())],
    );
    let help = view.t_args(
        "unavailable-help",
        &[("contact", app.settings.help_desk.clone().into())],
    );
    let view = view
        .block(Block::Paragraph(phase_out))
        .paragraph("info-phase-out-how")
        .heading("help", "info-help-title")
        .block(Block::Paragraph(help))
        .paragraph("unavailable-office");
    Ok(ctx.render(view))
}
