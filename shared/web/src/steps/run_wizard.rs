//! The wizard's effect interpreter: runs a transition's effects on the citizen's record, writes it once, mails its codes, then shows the next step.

use super::effects::{Halt, address_limit_reached, halted, issue_code, mail_codes};
use super::request::{Page, Visit};
use super::views::OrUnavailable;
use super::views::{code_refused_view, show_refusal};
use crate::mails;
use crate::view::View;
use crate::web::Ctx;
use keys_domain::app::App;
use keys_domain::codes::CodeCheck;
use keys_domain::flows::wizard::Wizard;
use keys_domain::flows::{self};
use keys_domain::keys::KeyState;
use keys_domain::record::{CommitError, Record};
use keys_domain::routes::Route;
use keys_domain::switch;

/// The wizard as a step-1 page sees it: none under way, or a finished one, opens at step 1
/// (without writing anything: the next answer stores it).
pub fn opened_wizard(visit: &Visit, app: &App) -> Option<Wizard> {
    match visit.record.wizard(app) {
        None | Some(Wizard::Done { .. }) => Some(Wizard::ConfirmEmail),
        other => other,
    }
}

/// Runs a wizard transition's effects on the citizen's record, writes it once, then mails any
/// code it issued. Stops at the first effect that cannot happen.
pub async fn run_wizard(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    effects: Vec<flows::wizard::Effect>,
) -> Result<(), Halt> {
    use flows::wizard::Effect;
    let mut sends = Vec::new();
    let mut switched_kind = None;
    let mut consumed = false;
    let mut halt = None;
    for effect in effects {
        match effect {
            Effect::Save(state) => visit.record.save_wizard(app, &state),
            Effect::SendCode { purpose, to } => {
                if let Err(stop) = issue_code(app, &mut visit.record, purpose, &to, &mut sends) {
                    halt = Some(stop);
                    break;
                }
            }
            Effect::WithdrawCode(purpose) => visit.record.withdraw_code(purpose),
            Effect::Audit(event) => visit.record.audit(app, event.event, event.outcome),
            Effect::Switch { kind, guard, extra } => {
                let email = visit.citizen.email.clone();
                let previous = visit
                    .record
                    .previous_email(app)
                    .filter(|previous| !previous.eq_ignore_ascii_case(&email));
                // Notifications go in the citizen's own language (the import's, or the one
                // enrolled with), whatever the browser that made the change speaks.
                let owner = visit.citizen.lang;
                let help_desk = &app.settings.help_desk;
                let notices = switch::SwitchNotices {
                    token_deactivated: mails::token_deactivated(owner, &email, help_desk),
                    key_activated: mails::key_activated(owner, &email, kind, help_desk),
                    key_activated_to_previous: previous
                        .map(|previous| mails::key_activated(owner, &previous, kind, help_desk)),
                };
                let session = visit.session.clone();
                match visit
                    .record
                    .switch_to(app, kind, &guard, extra, &notices, Some(&session))
                {
                    switch::Switched::Activated { .. } => switched_kind = Some(kind),
                    switch::Switched::AlreadyActive => {
                        visit.record.discard();
                        return Ok(());
                    }
                }
            }
            Effect::ChangeEmail { new, consume } => {
                consumed = true;
                let notice = mails::email_changed(
                    visit.citizen.lang,
                    &visit.citizen.email,
                    &new,
                    &app.settings.help_desk,
                );
                let session = visit.session.clone();
                visit
                    .record
                    .change_email(app, &new, &consume, notice, Some(&session));
            }
        }
    }
    visit.condition_on_session();
    match visit.record.commit(app).await {
        Ok(()) => {}
        Err(CommitError::Conflict { failed }) => {
            if let Some(limit) = address_limit_reached(&sends, &failed) {
                return Err(limit);
            }
            // A double submit or another tab: the key may be active already.
            if let Some(kind) = switched_kind {
                let again = Record::load(app, &visit.record.ck)
                    .await
                    .or_unavailable(ctx)?;
                if again.key(kind).is_some_and(|k| k.state == KeyState::Active) {
                    return Ok(());
                }
            }
            return Err(if switched_kind.is_some() || consumed {
                Halt::CodeUsed
            } else {
                Halt::Conflict
            });
        }
        Err(CommitError::Store(err)) => return Err(Halt::Refused(ctx.unavailable(&err))),
    }
    if let Some(stop) = halt {
        return Err(stop);
    }
    mail_codes(app, ctx, &mut visit.record, sends).await
}

/// Answers a wizard transition: its effects run, then the next state's page. `page` is the step's
/// view that shows a refusal, a code that could not be sent or one used meanwhile.
pub async fn wizard_step(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
) -> Page {
    wizard_step_to(app, ctx, visit, outcome, page, |route| {
        route.path().to_string()
    })
    .await
}

/// [`wizard_step`] that sends the citizen to `to(next state's page)` (a page saying a code was
/// sent again: `?sent=1`).
pub async fn wizard_step_to(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
    to: impl FnOnce(Route) -> String,
) -> Page {
    let refused = match outcome {
        Ok(transition) => {
            return match run_wizard(app, ctx, visit, transition.effects).await {
                // A double submit: the first one moved the wizard where this one would have.
                Ok(()) | Err(Halt::Conflict) => Ok(ctx.redirect(&to(transition.next.page()))),
                Err(Halt::NotSent(not_sent)) => Err(ctx.refuse(not_sent.shown_on(page()))),
                Err(Halt::CodeUsed) => {
                    Err(ctx.refuse(code_refused_view(page(), &CodeCheck::Missing)))
                }
                Err(Halt::Refused(refusal)) => Err(refusal),
            };
        }
        Err(refused) => refused,
    };
    if let Err(halt) = run_wizard(app, ctx, visit, refused.effects).await {
        return Err(halted(ctx, halt));
    }
    Err(show_refusal(ctx, refused.why, page))
}
