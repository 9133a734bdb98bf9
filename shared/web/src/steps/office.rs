//! The registration office's console: an officer logs in (password and app code), finds a citizen, sees keys, lockout and recent logins, unlocks, enrols a new citizen, issues an activation letter (after a fresh app code) and revokes it.
//!
//! Every request checks the console cookie against the officer's account and its `officer` role
//! ([`officers::on_duty`]); a citizen's session cookie is never one. Every change is audited with
//! the officer as actor.

use super::request::Page;
use super::views::{OrUnavailable, keys_table};
use crate::i18n::{Lang, format_date};
use crate::refusal::Refusal;
use crate::view::{Action, ActionStyle, Block, Choice, FieldKind, Level, View};
use crate::web::{Ctx, FormPost, OFFICE_COOKIE};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::audit;
use keys_domain::national_number::{self, Holder, NationalNumber};
use keys_domain::office::enrolments::{self, AtOffice, EnrolAtOfficeError};
use keys_domain::office::letters::{self, Subject};
use keys_domain::office::officers::{self, Duty, LoginRefused, OnDuty};
use keys_domain::routes::Route;
use serde::Deserialize;
use serde_json::json;

/// The officer on duty, or the refusal: a page without a console session goes to the console's
/// login; an account without the officer role (or a form posted without a session) is refused.
async fn require_officer(app: &App, ctx: &Ctx) -> Result<OnDuty, Refusal> {
    match officers::on_duty(app, ctx.cookie(OFFICE_COOKIE))
        .await
        .or_unavailable(ctx)?
    {
        Duty::OnDuty(duty) => Ok(duty),
        Duty::NoRole(officer) => {
            tracing::info!(audit = "office.access", officer = %officer.id, outcome = "no_role", "audit");
            Err(forbidden(ctx))
        }
        Duty::None if ctx.method == http::Method::GET => {
            tracing::info!(audit = "office.access", path = %ctx.path, outcome = "no_session", "audit");
            Err(ctx.elsewhere(Route::OfficeLogin.path()))
        }
        Duty::None => {
            tracing::info!(audit = "office.access", path = %ctx.path, outcome = "no_session", "audit");
            Err(forbidden(ctx))
        }
    }
}

fn forbidden(ctx: &Ctx) -> Refusal {
    ctx.refuse_with(StatusCode::FORBIDDEN, "office.forbidden")
}

/// A console page: the officer's name, and signing out.
fn console_view(route: Route, lang: Lang, title_id: &str, duty: &OnDuty) -> View {
    let view = View::new(route, lang, title_id).data("officer", duty.officer.id.clone().into());
    let signed_in = view.t_args(
        "office-signed-in",
        &[("name", duty.officer.name.clone().into())],
    );
    view.block(Block::Paragraph(signed_in))
}

fn sign_out_action(view: &View) -> Action {
    Action::post(
        "sign_out",
        Route::OfficeSignOut.path(),
        view.t("office-sign-out"),
    )
    .style(ActionStyle::Secondary)
}

fn login_view(lang: Lang, typed_id: &str) -> View {
    let view =
        View::new(Route::OfficeLogin, lang, "office-login-title").paragraph("office-login-intro");
    let mut id = view.field(
        "officer_id",
        "field-officer-id",
        FieldKind::Text {
            autocomplete: "username",
        },
    );
    id.value = typed_id.to_string();
    let password = view.field(
        "password",
        "field-officer-password",
        FieldKind::Password {
            autocomplete: "current-password",
        },
    );
    let code = view.field("code", "field-officer-code", FieldKind::Code);
    let submit = Action::post(
        "login",
        Route::OfficeLoginSubmit.path(),
        view.t("button-login"),
    )
    .field(id)
    .field(password)
    .field(code);
    view.action(submit)
}

/// `GET /office/login`.
pub async fn login(ctx: Ctx) -> Page {
    Ok(ctx.render(login_view(ctx.lang, "")))
}

/// The console login as posted.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub officer_id: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub code: String,
}

/// `POST /office/login`: staff id, password and app code; five failures lock the account.
pub async fn login_submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<LoginForm>,
) -> Page {
    let outcome = officers::log_in(&app, &form.officer_id, &form.password, &form.code)
        .await
        .or_unavailable(&ctx)?;
    let view = login_view(ctx.lang, form.officer_id.trim());
    match outcome {
        Ok(cookie) => {
            ctx.set_cookie(OFFICE_COOKIE, &cookie);
            Ok(ctx.redirect(Route::OfficeHome.path()))
        }
        Err(LoginRefused::Wrong) => Err(ctx.refuse(view.status(StatusCode::UNAUTHORIZED).message(
            Level::Error,
            "office.login_wrong",
            None,
        ))),
        Err(LoginRefused::Locked { minutes }) => Err(ctx.refuse(
            view.status(StatusCode::TOO_MANY_REQUESTS).message_args(
                Level::Error,
                "office.locked",
                &[("minutes", minutes.into())],
            ),
        )),
        Err(LoginRefused::NoRole) => Err(ctx.refuse(view.status(StatusCode::FORBIDDEN).message(
            Level::Error,
            "office.no_role",
            None,
        ))),
    }
}

/// `POST /office/sign-out`.
pub async fn sign_out(
    State(app): State<App>,
    FormPost { mut ctx, .. }: FormPost<super::request::EmptyForm>,
) -> Page {
    if let Duty::OnDuty(duty) = officers::on_duty(&app, ctx.cookie(OFFICE_COOKIE))
        .await
        .or_unavailable(&ctx)?
    {
        officers::sign_out(&app, &duty).await.or_unavailable(&ctx)?;
    }
    ctx.clear_cookie(OFFICE_COOKIE);
    Ok(ctx.redirect(Route::OfficeLogin.path()))
}

/// What an officer can find a citizen by.
const FIND_BY: [(&str, &str); 4] = [
    ("username", "office-by-username"),
    ("email", "office-by-email"),
    ("nrn", "office-by-nrn"),
    ("card", "office-by-card"),
];

fn find_view(lang: Lang, duty: &OnDuty, by: &str, typed: &str) -> View {
    let view = console_view(Route::OfficeHome, lang, "office-find-title", duty)
        .paragraph("office-find-intro");
    let choices = FIND_BY
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).into(),
            label: view.t(label),
            hint: None,
        })
        .collect();
    let mut by_field = view.field("by", "field-find-by", FieldKind::Choice(choices));
    by_field.value = if FIND_BY.iter().any(|(v, _)| *v == by) {
        by.to_string()
    } else {
        "username".into()
    };
    let mut value = view.field(
        "value",
        "field-find-value",
        FieldKind::Text {
            autocomplete: "off",
        },
    );
    value.value = typed.to_string();
    let find = Action::post("find", Route::OfficeFind.path(), view.t("button-find"))
        .field(by_field)
        .field(value);
    let enrol = Action::get(
        "enrol",
        Route::OfficeEnrol.path(),
        view.t("office-enrol-link"),
    )
    .style(ActionStyle::Secondary);
    let sign_out = sign_out_action(&view);
    view.action(find).action(enrol).action(sign_out)
}

/// `GET /office`: find a citizen.
pub async fn home(State(app): State<App>, ctx: Ctx) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    Ok(ctx.render(find_view(ctx.lang, &duty, "username", "")))
}

/// A search as posted (never in a URL: the number and the address stay out of access logs).
#[derive(Debug, Deserialize)]
pub struct FindForm {
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub value: String,
}

fn citizen_path(id: &str) -> String {
    Route::OfficeCitizen.with_query(&format!("id={id}"))
}

/// `POST /office/find`: by username, e-mail address, national register number or card serial.
/// One match opens the citizen; several (an address shared by usernames) are listed.
pub async fn find(State(app): State<App>, FormPost { ctx, form }: FormPost<FindForm>) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let typed = form.value.trim();
    let page = || find_view(ctx.lang, &duty, &form.by, typed);
    if typed.is_empty() {
        return Err(ctx.refuse(page().status(StatusCode::BAD_REQUEST).message(
            Level::Error,
            "office.find_empty",
            Some("value"),
        )));
    }
    let found: Vec<(String, String)> = match form.by.as_str() {
        "email" => keys_domain::addresses::citizens_with(&app, typed)
            .await
            .or_unavailable(&ctx)?
            .iter()
            .filter_map(|record| record.citizen())
            .map(|c| (c.id, c.username))
            .collect(),
        "nrn" => {
            let Some(number) = NationalNumber::parse(typed) else {
                return Err(ctx.refuse(page().status(StatusCode::BAD_REQUEST).message(
                    Level::Error,
                    "office.nrn_invalid",
                    Some("value"),
                )));
            };
            match national_number::holder(&app, &number)
                .await
                .or_unavailable(&ctx)?
            {
                Some(Holder::Citizen(record)) => record
                    .citizen()
                    .map(|c| (c.id, c.username))
                    .into_iter()
                    .collect(),
                Some(Holder::Enrolment(id)) => vec![(id, String::new())],
                None => Vec::new(),
            }
        }
        "card" => keys_domain::citizens::record_by_card_serial(&app, typed)
            .await
            .or_unavailable(&ctx)?
            .and_then(|record| record.citizen())
            .map(|c| (c.id, c.username))
            .into_iter()
            .collect(),
        _ => keys_domain::citizens::citizen_by_username(&app, typed)
            .await
            .or_unavailable(&ctx)?
            .map(|c| (c.id, c.username))
            .into_iter()
            .collect(),
    };
    audit::acting_as(duty.officer.actor(), async {
        let by = FIND_BY
            .iter()
            .map(|(by, _)| *by)
            .find(|by| *by == form.by)
            .unwrap_or("username");
        tracing::info!(audit = "office.find", by, found = found.len(), "audit");
    })
    .await;
    match found.as_slice() {
        [] => Err(ctx.refuse(page().status(StatusCode::NOT_FOUND).message(
            Level::Warning,
            "office.not_found",
            None,
        ))),
        [(id, _)] => Ok(ctx.redirect(&citizen_path(id))),
        several => {
            let view = several.iter().fold(page(), |view, (id, username)| {
                let open = Action::get("open", citizen_path(id), username.clone())
                    .style(ActionStyle::Link);
                view.action(open)
            });
            Ok(ctx.render(view))
        }
    }
}

/// The subject named by `?id=`, or a 404.
async fn subject_of(app: &App, ctx: &Ctx) -> Result<Subject, Refusal> {
    let id = ctx.query("id").unwrap_or_default();
    let plausible = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let subject = if plausible {
        letters::subject(app, id).await.or_unavailable(ctx)?
    } else {
        None
    };
    subject.ok_or_else(|| ctx.refuse_with(StatusCode::NOT_FOUND, "office.not_found"))
}

/// The citizen's page: profile, keys, lockout, recent logins, the letter; unlock, issue, revoke.
async fn citizen_view(
    app: &App,
    ctx: &Ctx,
    duty: &OnDuty,
    subject: &Subject,
) -> Result<View, Refusal> {
    let lang = ctx.lang;
    let now = app.clock.now_secs();
    let id = subject.id().to_string();
    let mut view = console_view(Route::OfficeCitizen, lang, "office-citizen-title", duty)
        .data("citizen_id", id.clone().into());
    let mut facts = vec![("office-fact-name", subject.name().to_string())];
    if let Some(username) = subject.username() {
        facts.push(("office-fact-username", username.to_string()));
    }
    facts.push(("office-fact-email", subject.email().to_string()));
    facts.push(("office-fact-lang", subject.lang().endonym().to_string()));
    let locked = match subject {
        Subject::Citizen(record, _) => {
            let locked = record.locked(now);
            let text = match locked {
                Some(locked) => {
                    view.t_args("office-locked-for", &[("minutes", locked.minutes.into())])
                }
                None => view.t("office-not-locked"),
            };
            facts.push(("office-fact-login", text));
            locked.is_some()
        }
        Subject::Pending(_) => false,
    };
    view = view.data("locked", locked.into());
    view = view.data("pending", matches!(subject, Subject::Pending(_)).into());
    if let Subject::Pending(_) = subject {
        let text = view.t("office-pending");
        view = view.block(Block::Callout {
            level: Level::Info,
            text,
        });
    }
    for (label_id, value) in facts {
        let label = view.t(label_id);
        view = view.block(Block::Fact { label, value });
    }
    if let Subject::Citizen(record, _) = subject {
        let keys = record.keys();
        let table = keys_table(&view, &keys, "office-keys-caption");
        view = view
            .data(
                "keys",
                keys.iter()
                    .map(|k| json!({ "kind": k.kind, "state": k.state }))
                    .collect::<Vec<_>>()
                    .into(),
            )
            .block(table)
            .heading("logins", "office-logins-heading");
        let logins: Vec<String> = record
            .last_logins()
            .iter()
            .map(|login| {
                let key = view.t(keys_domain::methods::of(login.key).name_id());
                view.t_args(
                    "office-login-line",
                    &[
                        ("date", format_date(lang, login.at).into()),
                        ("time", keys_domain::calendar::local_time(login.at).into()),
                        ("key", key.into()),
                    ],
                )
            })
            .collect();
        view = if logins.is_empty() {
            view.paragraph("office-no-logins")
        } else {
            view.block(Block::List(logins))
        };
    }
    view = view.heading("letter", "office-letter-heading");
    let status = letters::status(app, &id).await.or_unavailable(ctx)?;
    match &status {
        Some(status) => {
            let standing = status.standing(now).as_str();
            let state = view.t(&format!("office-letter-state-{standing}"));
            let text = view.t_args(
                "office-letter-status",
                &[
                    ("state", state.into()),
                    ("issued", format_date(lang, status.issued_at).into()),
                    ("officer", status.issued_by.clone().into()),
                    ("until", format_date(lang, status.valid_until).into()),
                ],
            );
            view = view
                .data("letter", standing.into())
                .block(Block::Paragraph(text));
        }
        None => view = view.paragraph("office-letter-none"),
    }
    let issue = Action::post(
        "issue",
        Route::OfficeIssue.with_query(&format!("id={id}")),
        view.t("button-issue"),
    )
    .field(view.field("code", "field-officer-code", FieldKind::Code));
    view = view.paragraph("office-issue-intro").action(issue);
    if status.as_ref().is_some_and(|s| s.usable(now)) {
        let revoke = Action::post(
            "revoke",
            Route::OfficeRevoke.with_query(&format!("id={id}")),
            view.t("button-revoke"),
        )
        .style(ActionStyle::Secondary);
        view = view.action(revoke);
    }
    if locked {
        let unlock = Action::post(
            "unlock",
            Route::OfficeUnlock.with_query(&format!("id={id}")),
            view.t("button-unlock"),
        )
        .style(ActionStyle::Secondary);
        view = view.action(unlock);
    }
    let back = Action::get("back", Route::OfficeHome.path(), view.t("office-back"))
        .style(ActionStyle::Secondary);
    let sign_out = sign_out_action(&view);
    Ok(view.action(back).action(sign_out))
}

/// What a citizen's page says after a change (`?done=…`).
fn done_message(done: Option<&str>) -> Option<(Level, &'static str)> {
    match done {
        Some("unlocked") => Some((Level::Success, "office.unlocked")),
        Some("not_locked") => Some((Level::Info, "office.was_not_locked")),
        Some("revoked") => Some((Level::Success, "office.revoked")),
        Some("nothing_to_revoke") => Some((Level::Info, "office.nothing_to_revoke")),
        Some("enrolled") => Some((Level::Success, "office.enrolled")),
        _ => None,
    }
}

/// `GET /office/citizen?id=…`.
pub async fn citizen(State(app): State<App>, ctx: Ctx) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let subject = subject_of(&app, &ctx).await?;
    audit::acting_as(duty.officer.actor(), async {
        tracing::info!(audit = "office.citizen", citizen = %subject.id(), "audit");
    })
    .await;
    let mut view = citizen_view(&app, &ctx, &duty, &subject).await?;
    if let Some((level, id)) = done_message(ctx.query("done")) {
        view = view.message(level, id, None);
    }
    Ok(ctx.render(view))
}

fn back_to_citizen(id: &str, done: &str) -> String {
    Route::OfficeCitizen.with_query(&format!("id={id}&done={done}"))
}

/// `POST /office/citizen/unlock?id=…`: clears the login lockout (audited with the officer).
pub async fn unlock(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<super::request::EmptyForm>,
) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let subject = subject_of(&app, &ctx).await?;
    let Subject::Citizen(_, citizen) = &subject else {
        return Ok(ctx.redirect(&back_to_citizen(subject.id(), "not_locked")));
    };
    let was = audit::acting_as(
        duty.officer.actor(),
        keys_domain::support::unlock(&app, citizen),
    )
    .await
    .or_unavailable(&ctx)?;
    let done = if was.is_some() {
        "unlocked"
    } else {
        "not_locked"
    };
    Ok(ctx.redirect(&back_to_citizen(&citizen.id, done)))
}

/// The step-up code as posted with the issue.
#[derive(Debug, Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    pub code: String,
}

/// The link the letter's mail gives: the service's public address (a setting, never the
/// request's `Host`) with the activation page and the letter's link.
pub fn letter_url(app: &App, link: &letters::LetterLink) -> String {
    let path = Route::Activation.with_query(&link.query());
    match &app.settings.public_url {
        Some(base) => format!("{base}{path}"),
        None => crate::view::under_base(&app.settings.base_path, &path),
    }
}

/// `POST /office/citizen/letter?id=…`: after a fresh app code (step-up), issues the letter,
/// mails its link to the citizen and shows the printable letter in the citizen's language.
pub async fn issue(State(app): State<App>, FormPost { ctx, form }: FormPost<IssueForm>) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let subject = subject_of(&app, &ctx).await?;
    let stepped_up = officers::step_up(&app, &duty, &form.code)
        .await
        .or_unavailable(&ctx)?;
    if !stepped_up {
        let view = citizen_view(&app, &ctx, &duty, &subject).await?;
        return Err(ctx.refuse(view.status(StatusCode::UNAUTHORIZED).message(
            Level::Error,
            "office.step_up_wrong",
            Some("code"),
        )));
    }
    let lang = subject.lang();
    let to = subject.email().to_string();
    let help_desk = app.settings.help_desk.clone();
    let issued = audit::acting_as(
        duty.officer.actor(),
        letters::issue(&app, &subject, &duty.officer.actor(), |link, until| {
            crate::mails::letter_link_mail(lang, &to, &letter_url(&app, link), until, &help_desk)
        }),
    )
    .await
    .or_unavailable(&ctx)?;
    // The letter's page holds the code, shown only now (no page is ever cached: `no-store`).
    Ok(ctx.render(letter_view(&app, &ctx, &subject, &issued)))
}

/// The printable letter: the officer's hint and actions in the console's language, the letter
/// itself in the citizen's.
fn letter_view(app: &App, ctx: &Ctx, subject: &Subject, issued: &letters::Issued) -> View {
    let citizen_lang = subject.lang();
    let letter = View::new(Route::OfficeIssue, citizen_lang, "letter-title");
    let t = |id: &str| letter.t(id);
    let greeting = letter.t_args(
        "letter-greeting",
        &[("name", subject.name().to_string().into())],
    );
    let email = crate::mails::hide_address(subject.email());
    let how = match subject.username() {
        Some(username) => letter.t_args(
            "letter-how-existing",
            &[
                ("email", email.into()),
                ("username", username.to_string().into()),
            ],
        ),
        None => letter.t_args("letter-how-new", &[("email", email.into())]),
    };
    let valid = letter.t_args(
        "letter-valid",
        &[("date", format_date(citizen_lang, issued.valid_until).into())],
    );
    let help = letter.t_args(
        "letter-help",
        &[("contact", app.settings.help_desk.clone().into())],
    );
    let hint = crate::i18n::t(ctx.lang, "office-print-hint");
    let mut view = letter
        .clone()
        .data("citizen_id", subject.id().to_string().into())
        .data("activation_code", issued.code.grouped().into())
        .data("valid_until", issued.valid_until.into())
        .block(Block::Callout {
            level: Level::Info,
            text: hint,
        })
        .block(Block::Paragraph(greeting))
        .block(Block::Paragraph(t("letter-intro")))
        .block(Block::Secret {
            label: t("letter-code-label"),
            value: issued.code.grouped(),
        })
        .block(Block::Paragraph(how))
        .block(Block::Paragraph(valid))
        .block(Block::Paragraph(t("letter-keep")))
        .block(Block::Paragraph(help));
    let back = Action::get(
        "back",
        citizen_path(subject.id()),
        crate::i18n::t(ctx.lang, "office-back-citizen"),
    )
    .style(ActionStyle::Secondary);
    view = view.action(back);
    view
}

/// `POST /office/citizen/letter/revoke?id=…`: the letter's code stops working.
pub async fn revoke(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<super::request::EmptyForm>,
) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let subject = subject_of(&app, &ctx).await?;
    let revoked = audit::acting_as(duty.officer.actor(), letters::revoke(&app, subject.id()))
        .await
        .or_unavailable(&ctx)?;
    let done = if revoked {
        "revoked"
    } else {
        "nothing_to_revoke"
    };
    Ok(ctx.redirect(&back_to_citizen(subject.id(), done)))
}

/// A new citizen as the officer types them.
#[derive(Debug, Default, Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub nrn: String,
}

fn enrol_view(lang: Lang, duty: &OnDuty, typed: &EnrolForm) -> View {
    let view = console_view(Route::OfficeEnrol, lang, "office-enrol-title", duty)
        .paragraph("office-enrol-intro");
    let mut name = view.field(
        "name",
        "field-office-name",
        FieldKind::Text {
            autocomplete: "off",
        },
    );
    name.value = typed.name.clone();
    let mut email = view.field("email", "field-office-email", FieldKind::Email);
    email.value = typed.email.clone();
    let language = super::views::language_field(
        &view,
        "field-office-lang",
        Lang::parse(&typed.lang).unwrap_or(lang),
    );
    let mut nrn = view.field(
        "nrn",
        "field-office-nrn",
        FieldKind::Text {
            autocomplete: "off",
        },
    );
    nrn.value = typed.nrn.clone();
    let enrol = Action::post(
        "enrol",
        Route::OfficeEnrolSubmit.path(),
        view.t("button-enrol"),
    )
    .field(name)
    .field(email)
    .field(language)
    .field(nrn);
    let back = Action::get("back", Route::OfficeHome.path(), view.t("office-back"))
        .style(ActionStyle::Secondary);
    view.action(enrol).action(back)
}

/// `GET /office/enrol`.
pub async fn enrol(State(app): State<App>, ctx: Ctx) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    Ok(ctx.render(enrol_view(ctx.lang, &duty, &EnrolForm::default())))
}

/// `POST /office/enrol`: name, personal address, language and national register number (one
/// citizen per number); the citizen then gets an activation letter.
pub async fn enrol_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<EnrolForm>,
) -> Page {
    let duty = require_officer(&app, &ctx).await?;
    let refuse = |id: &str, field: &str, status: StatusCode| {
        ctx.refuse(enrol_view(ctx.lang, &duty, &form).status(status).message(
            Level::Error,
            id,
            Some(field),
        ))
    };
    let national_number = match form.nrn.trim() {
        "" => None,
        typed => match NationalNumber::parse(typed) {
            Some(number) => Some(number),
            None => return Err(refuse("office.nrn_invalid", "nrn", StatusCode::BAD_REQUEST)),
        },
    };
    let new = AtOffice {
        name: form.name.clone(),
        email: form.email.clone(),
        lang: Lang::parse(&form.lang).unwrap_or(ctx.lang),
        national_number,
    };
    let actor = duty.officer.actor();
    match audit::acting_as(actor.clone(), enrolments::enrol(&app, new, &actor)).await {
        Ok(pending) => Ok(ctx.redirect(&back_to_citizen(&pending.id, "enrolled"))),
        Err(EnrolAtOfficeError::Invalid("name")) => Err(refuse(
            "office.name_invalid",
            "name",
            StatusCode::BAD_REQUEST,
        )),
        Err(EnrolAtOfficeError::Invalid(_)) => Err(refuse(
            "office.email_invalid",
            "email",
            StatusCode::BAD_REQUEST,
        )),
        Err(EnrolAtOfficeError::NationalNumberTaken) => {
            Err(refuse("office.nrn_taken", "nrn", StatusCode::CONFLICT))
        }
        Err(EnrolAtOfficeError::Store(err)) => Err(ctx.unavailable(&err)),
    }
}
