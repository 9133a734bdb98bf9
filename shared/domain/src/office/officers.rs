//! Officer accounts (id, name, role, password, authenticator app), their logins with lockout, console sessions and step-up.

use crate::app::App;
use crate::crypto::{random_id, short_keyed_hash};
use crate::record::split_cookie;
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, Item, StoreError, Updated, Value};
use crate::totp::AppSecret;

/// The role an officer's account must hold for every console request.
pub const ROLE_OFFICER: &str = "officer";
/// How long a console session lasts after the login (absolute; then the officer logs in again).
pub const SESSION_SECONDS: i64 = 2 * 3600;
/// Failed logins (password or app code wrong) before the account is locked.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// How long a locked account stays locked.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// The longest officer id, in characters.
pub const ID_MAX_CHARS: usize = 64;

const SORT_KEY: &str = "officer";
const SESSION_PREFIX: &str = "os_";

/// An officer's account as the console shows it (never its secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    /// The staff id the officer logs in with, lower case.
    pub id: String,
    pub name: String,
    /// The role the account holds (`officer`), if any.
    pub role: Option<String>,
}

impl Officer {
    /// The name audit events give the officer as actor: `officer:<id>`.
    pub fn actor(&self) -> String {
        actor_of(&self.id)
    }

    /// Whether the account holds the officer role.
    pub fn is_officer(&self) -> bool {
        self.role.as_deref() == Some(ROLE_OFFICER)
    }
}

/// The actor name of officer `id` on audit events.
pub fn actor_of(id: &str) -> String {
    format!("officer:{id}")
}

/// What can go wrong managing an officer's account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficerError {
    #[error("an officer with this id exists")]
    Taken,
    #[error("no officer has this id")]
    NotFound,
    #[error("the {0} is not acceptable")]
    Invalid(&'static str),
    #[error("the password could not be hashed")]
    Hash,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An officer id as kept: trimmed, lower case; 2 to 64 letters, digits or `.-_`.
pub fn normalise_id(id: &str) -> Option<String> {
    let id = id.trim().to_lowercase();
    let fits = (2..=ID_MAX_CHARS).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
    fits.then_some(id)
}

fn officer_key(app: &App, id: &str) -> String {
    short_keyed_hash(&app.secrets.key(KeyPurpose::ThrottleHash), "officer", id)
}

fn pk(key: &str) -> String {
    format!("officer#{key}")
}

fn session_attr(app: &App, secret: &str) -> String {
    let hashed = short_keyed_hash(
        &app.secrets.key(KeyPurpose::SessionHash),
        "office-session",
        secret,
    );
    format!("{SESSION_PREFIX}{hashed}")
}

/// What the app secret is sealed to: the officer, never a citizen.
fn sealed_for(id: &str) -> String {
    format!("officer:{id}")
}

fn officer_of(item: &Item) -> Option<Officer> {
    Some(Officer {
        id: item.s("officer_id")?.to_string(),
        name: item.s("name").unwrap_or_default().to_string(),
        role: item.s("role").map(str::to_string),
    })
}

/// Adds an officer with the officer role; answers the authenticator app's secret, which the
/// officer adds to the app now (it is shown once and stored only sealed).
pub async fn add(
    app: &App,
    id: &str,
    name: &str,
    password: &str,
) -> Result<AppSecret, OfficerError> {
    let id = normalise_id(id).ok_or(OfficerError::Invalid("officer id"))?;
    let name = crate::citizens::valid_name(name).ok_or(OfficerError::Invalid("name"))?;
    if crate::input::password_problem(password, &id, "").is_some() {
        return Err(OfficerError::Invalid("password"));
    }
    let hash = crate::passwords::hash(password.to_string())
        .await
        .map_err(|_| OfficerError::Hash)?;
    let secret = AppSecret::generate();
    let sealed = secret.seal(
        &app.secrets.key(KeyPurpose::TotpEncryption),
        &sealed_for(&id),
    );
    let item = Item::new(pk(&officer_key(app, &id)), SORT_KEY)
        .with_s("officer_id", &id)
        .with_s("name", name)
        .with_s("role", ROLE_OFFICER)
        .with_s("password", hash)
        .with_s("app", sealed)
        .with_n("created_at", app.clock.now_secs());
    match app.store.put(item, Some(Condition::Absent)).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Err(OfficerError::Taken),
        Err(err) => return Err(err.into()),
    }
    crate::audit::record(app, "office.officer", Some(&actor_of(&id)), "added").await;
    Ok(secret)
}

/// The officer with this id, if any.
pub async fn find(app: &App, id: &str) -> Result<Option<Officer>, StoreError> {
    let Some(id) = normalise_id(id) else {
        return Ok(None);
    };
    Ok(app
        .store
        .get(&pk(&officer_key(app, &id)), SORT_KEY)
        .await?
        .as_ref()
        .and_then(officer_of))
}

/// Gives the officer the officer role back, or takes it away (`None`): every console request
/// checks it, so a session open now stops at its next request.
pub async fn set_role(app: &App, id: &str, role: Option<&str>) -> Result<(), OfficerError> {
    let id = normalise_id(id).ok_or(OfficerError::NotFound)?;
    let change = match role {
        Some(role) => Change::new().set_s("role", role),
        None => Change::new().remove("role"),
    };
    let condition = Condition::has("officer_id");
    match app
        .store
        .update(
            &pk(&officer_key(app, &id)),
            SORT_KEY,
            change,
            Some(condition),
        )
        .await?
    {
        Updated::Changed(_) => {}
        Updated::Refused(_) => return Err(OfficerError::NotFound),
    }
    let outcome = if role.is_some() {
        "role_given"
    } else {
        "role_taken"
    };
    crate::audit::record(app, "office.officer", Some(&actor_of(&id)), outcome).await;
    Ok(())
}

/// Why a console login did not open a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefused {
    /// The id, the password or the app code is wrong (the page never says which).
    Wrong,
    /// Too many failures: the account is locked for this many more minutes.
    Locked { minutes: i64 },
    /// The credentials are right but the account does not hold the officer role.
    NoRole,
}

/// The app code's time step, if it is right and later than every step used before.
fn fresh_step(app: &App, item: &Item, id: &str, code: &str) -> Option<u64> {
    let secret = AppSecret::unseal(
        item.s("app")?,
        &app.secrets.key(KeyPurpose::TotpEncryption),
        &sealed_for(id),
    )
    .ok()?;
    let step = secret.matching_step(code, app.clock.now_secs().max(0) as u64)?;
    let last = item.n("last_step").unwrap_or(-1);
    (i64::try_from(step).ok()? > last).then_some(step)
}

/// Logs an officer in with id, password and app code; answers the console cookie's value.
/// Five failures lock the account for [`LOCK_SECONDS`]; an app code is good once.
pub async fn log_in(
    app: &App,
    id: &str,
    password: &str,
    code: &str,
) -> Result<Result<String, LoginRefused>, StoreError> {
    let Some(id) = normalise_id(id) else {
        crate::passwords::verify_of_nobody(password.to_string()).await;
        return Ok(Err(LoginRefused::Wrong));
    };
    let key = officer_key(app, &id);
    let Some(item) = app.store.get(&pk(&key), SORT_KEY).await? else {
        crate::passwords::verify_of_nobody(password.to_string()).await;
        return Ok(Err(LoginRefused::Wrong));
    };
    let now = app.clock.now_secs();
    let actor = actor_of(&id);
    if let Some(until) = item.n("locked_until").filter(|until| *until > now) {
        crate::audit::record(app, "office.login", Some(&actor), "locked_refused").await;
        return Ok(Err(LoginRefused::Locked {
            minutes: (until - now + 59) / 60,
        }));
    }
    let password_right = crate::passwords::verify(
        password.to_string(),
        item.s("password").unwrap_or_default().to_string(),
    )
    .await;
    let step = fresh_step(app, &item, &id, code);
    let (true, Some(step)) = (password_right, step) else {
        failed(app, &key, &item, &actor).await?;
        return Ok(Err(LoginRefused::Wrong));
    };
    let officer = officer_of(&item);
    if !officer.as_ref().is_some_and(Officer::is_officer) {
        crate::audit::record(app, "office.login", Some(&actor), "no_role").await;
        return Ok(Err(LoginRefused::NoRole));
    }
    let secret = random_id();
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let mut change = Change::new()
        .set_n("last_step", step)
        .set_n(&session_attr(app, &secret), now + SESSION_SECONDS)
        .remove("failures");
    for (name, value) in &item.attrs {
        if name.starts_with(SESSION_PREFIX) && matches!(value, Value::N(until) if *until <= now) {
            change = change.remove(name);
        }
    }
    let condition = Condition::below("last_step", step);
    match app
        .store
        .update(&pk(&key), SORT_KEY, change, Some(condition))
        .await?
    {
        Updated::Changed(_) => {}
        // The same code was used meanwhile.
        Updated::Refused(_) => return Ok(Err(LoginRefused::Wrong)),
    }
    crate::audit::record(app, "office.login", Some(&actor), "success").await;
    Ok(Ok(format!("{key}.{secret}")))
}

/// Counts a failed login; the fifth in a row locks the account.
async fn failed(app: &App, key: &str, item: &Item, actor: &str) -> Result<(), StoreError> {
    let failures = item.n("failures").unwrap_or(0) + 1;
    let change = if failures >= FAILURES_BEFORE_LOCK {
        Change::new()
            .remove("failures")
            .set_n("locked_until", app.clock.now_secs() + LOCK_SECONDS)
    } else {
        Change::new().set_n("failures", failures)
    };
    // Over the count as read: two failures at once count at least once.
    let unchanged = match item.n("failures") {
        Some(n) => Condition::equals("failures", Value::N(n)),
        None => Condition::All(vec![
            Condition::has("officer_id"),
            Condition::lacks("failures"),
        ]),
    };
    app.store
        .update(&pk(key), SORT_KEY, change, Some(unchanged))
        .await?;
    let outcome = if failures >= FAILURES_BEFORE_LOCK {
        "locked"
    } else {
        "failure"
    };
    crate::audit::record(app, "office.login", Some(actor), outcome).await;
    Ok(())
}

/// An officer with a live console session.
#[derive(Debug, Clone)]
pub struct OnDuty {
    pub officer: Officer,
    key: String,
    session: String,
}

/// What the console cookie of a request stands for.
#[derive(Debug, Clone)]
pub enum Duty {
    /// No live console session (none, expired, signed out, or a citizen's cookie).
    None,
    /// A live session of an account that no longer holds the officer role.
    NoRole(Officer),
    /// An officer on duty.
    OnDuty(OnDuty),
}

/// Checks the console cookie: a live session of an account that holds the officer role (one read).
pub async fn on_duty(app: &App, cookie: Option<&str>) -> Result<Duty, StoreError> {
    let Some((key, secret)) = cookie.and_then(split_cookie) else {
        return Ok(Duty::None);
    };
    let Some(item) = app.store.get(&pk(key), SORT_KEY).await? else {
        return Ok(Duty::None);
    };
    let session = session_attr(app, secret);
    let live = item
        .n(&session)
        .is_some_and(|until| until > app.clock.now_secs());
    let Some(officer) = officer_of(&item).filter(|_| live) else {
        return Ok(Duty::None);
    };
    if !officer.is_officer() {
        return Ok(Duty::NoRole(officer));
    }
    Ok(Duty::OnDuty(OnDuty {
        officer,
        key: key.to_string(),
        session,
    }))
}

/// Step-up before issuing: a fresh app code of the officer (a time step not used before).
/// A wrong code counts as a failed login.
pub async fn step_up(app: &App, duty: &OnDuty, code: &str) -> Result<bool, StoreError> {
    let Some(item) = app.store.get(&pk(&duty.key), SORT_KEY).await? else {
        return Ok(false);
    };
    let actor = duty.officer.actor();
    let Some(step) = fresh_step(app, &item, &duty.officer.id, code) else {
        failed(app, &duty.key, &item, &actor).await?;
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let change = Change::new().set_n("last_step", step);
    let condition = Condition::All(vec![
        Condition::below("last_step", step),
        Condition::has(&duty.session),
    ]);
    let stepped_up = matches!(
        app.store
            .update(&pk(&duty.key), SORT_KEY, change, Some(condition))
            .await?,
        Updated::Changed(_)
    );
    Ok(stepped_up)
}

/// Ends the console session.
pub async fn sign_out(app: &App, duty: &OnDuty) -> Result<(), StoreError> {
    let change = Change::new().remove(&duty.session);
    app.store
        .update(
            &pk(&duty.key),
            SORT_KEY,
            change,
            Some(Condition::has("officer_id")),
        )
        .await?;
    crate::audit::record(
        app,
        "office.session",
        Some(&duty.officer.actor()),
        "signed_out",
    )
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;

    fn code(secret: &AppSecret, app: &App, steps_back: u64) -> String {
        let now = app.clock.now_secs() as u64 / crate::totp::STEP_SECONDS;
        secret.code_at_step(now - steps_back)
    }

    #[tokio::test]
    async fn an_officer_logs_in_with_password_and_a_fresh_app_code_and_steps_up_with_a_later_one() {
        let (app, _clock) = test_app();
        let secret = add(&app, "E.Peeters", "Els Peeters", "counter lamp meadow 2031")
            .await
            .expect("added");
        assert_eq!(
            add(&app, "e.peeters", "Els", "counter lamp meadow 2031")
                .await
                .map(|_| ()),
            Err(OfficerError::Taken)
        );
        let cookie = log_in(
            &app,
            "e.peeters",
            "counter lamp meadow 2031",
            &code(&secret, &app, 1),
        )
        .await
        .expect("store")
        .expect("logged in");
        assert_eq!(
            log_in(
                &app,
                "e.peeters",
                "counter lamp meadow 2031",
                &code(&secret, &app, 1)
            )
            .await,
            Ok(Err(LoginRefused::Wrong)),
            "an app code is good once"
        );
        let Duty::OnDuty(duty) = on_duty(&app, Some(&cookie)).await.expect("read") else {
            panic!("on duty");
        };
        assert_eq!(duty.officer.actor(), "officer:e.peeters");
        assert_eq!(
            step_up(&app, &duty, &code(&secret, &app, 1)).await,
            Ok(false),
            "not a later step"
        );
        assert_eq!(
            step_up(&app, &duty, &code(&secret, &app, 0)).await,
            Ok(true)
        );
        set_role(&app, "e.peeters", None).await.expect("role taken");
        assert!(matches!(
            on_duty(&app, Some(&cookie)).await,
            Ok(Duty::NoRole(_))
        ));
        sign_out(&app, &duty).await.expect("signed out");
        assert!(matches!(on_duty(&app, Some(&cookie)).await, Ok(Duty::None)));
    }

    #[tokio::test]
    async fn five_failures_lock_the_account_and_a_session_ends_after_two_hours() {
        let (app, clock) = test_app();
        let secret = add(&app, "j.maes", "Jo Maes", "counter lamp meadow 2031")
            .await
            .expect("added");
        for _ in 0..FAILURES_BEFORE_LOCK {
            assert_eq!(
                log_in(
                    &app,
                    "j.maes",
                    "not the password 1",
                    &code(&secret, &app, 0)
                )
                .await,
                Ok(Err(LoginRefused::Wrong))
            );
        }
        assert_eq!(
            log_in(
                &app,
                "j.maes",
                "counter lamp meadow 2031",
                &code(&secret, &app, 0)
            )
            .await,
            Ok(Err(LoginRefused::Locked { minutes: 15 }))
        );
        clock.advance(time::Duration::seconds(LOCK_SECONDS + 30));
        let cookie = log_in(
            &app,
            "j.maes",
            "counter lamp meadow 2031",
            &code(&secret, &app, 0),
        )
        .await
        .expect("store")
        .expect("unlocked by time");
        clock.advance(time::Duration::seconds(SESSION_SECONDS));
        assert!(matches!(on_duty(&app, Some(&cookie)).await, Ok(Duty::None)));
        assert!(matches!(
            on_duty(&app, Some("not.a-cookie")).await,
            Ok(Duty::None)
        ));
    }
}
