//! Activation letters: the one-time code an officer hands over on paper and the link mailed to the citizen; checked with limited tries, spent once to choose a username and password, revoked by an officer.
//!
//! One letter per citizen (`activation#<citizen id>`): issuing another replaces it, so only the
//! newest code works. The code (80 bits, Crockford base32) and the link's token are kept only as
//! keyed hashes. The item outlives the code's validity by [`KEEP_AFTER_SECONDS`] so that an
//! expired, used or revoked letter is named as such rather than unknown.

use super::enrolments::{self, Pending};
use crate::app::App;
use crate::citizens::{self, Citizen};
use crate::crypto::{keyed_hash, keyed_hash_matches, random_id, random_in};
use crate::dispatch;
use crate::lang::Lang;
use crate::mailer::Mail;
use crate::record::{CommitError, Record, citizen_key};
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, Item, StoreError, Updated, Value, Write};

/// Wrong codes a letter takes before it stops working.
pub const MAX_TRIES: i64 = 5;
/// How long after the right code the citizen has to choose username and password.
pub const VERIFIED_SECONDS: i64 = 15 * 60;
/// How long a letter's item is kept after its code stops holding.
pub const KEEP_AFTER_SECONDS: i64 = 90 * 24 * 3600;
/// The code's length in characters (5 bits each: 80 bits).
pub const CODE_CHARS: usize = 16;
/// Crockford's base32 alphabet: no I, L, O or U, so nothing on paper reads as something else.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const SORT_KEY: &str = "activation";

fn pk(citizen_id: &str) -> String {
    format!("activation#{citizen_id}")
}

/// An activation code: 16 characters of Crockford base32, printed in groups of four.
#[derive(Clone, PartialEq, Eq)]
pub struct ActivationCode(String);

impl std::fmt::Debug for ActivationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivationCode(…)")
    }
}

impl ActivationCode {
    fn generate() -> Self {
        ActivationCode(
            (0..CODE_CHARS)
                .map(|_| char::from(ALPHABET[random_in(0..=31) as usize]))
                .collect(),
        )
    }

    /// A code as typed: case, spaces and dashes do not matter; O reads as 0, I and L as 1.
    pub fn parse(text: &str) -> Option<Self> {
        let code: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        (code.len() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b)))
            .then_some(ActivationCode(code))
    }

    /// As printed on the letter: `ABCD-EFGH-JKMN-PQRS`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

fn code_context(citizen_id: &str) -> String {
    format!("activation-code:{citizen_id}")
}

fn code_hash(app: &App, citizen_id: &str, code: &ActivationCode) -> String {
    keyed_hash(
        &app.secrets.key(KeyPurpose::CodeHash),
        &code_context(citizen_id),
        &code.0,
    )
}

fn link_context(citizen_id: &str) -> String {
    format!("activation-link:{citizen_id}")
}

/// Whom a letter is for: a citizen with a record, or one enrolled at the office without a
/// username yet.
#[derive(Debug, Clone)]
pub enum Subject {
    Citizen(Box<Record>, Citizen),
    Pending(Pending),
}

impl Subject {
    pub fn id(&self) -> &str {
        match self {
            Subject::Citizen(_, citizen) => &citizen.id,
            Subject::Pending(pending) => &pending.id,
        }
    }

    pub fn email(&self) -> &str {
        match self {
            Subject::Citizen(_, citizen) => &citizen.email,
            Subject::Pending(pending) => &pending.email,
        }
    }

    pub fn lang(&self) -> Lang {
        match self {
            Subject::Citizen(_, citizen) => citizen.lang,
            Subject::Pending(pending) => pending.lang,
        }
    }

    /// The name to address the letter to: the citizen's name, else the username.
    pub fn name(&self) -> &str {
        match self {
            Subject::Citizen(_, citizen) => citizen.greeting_name(),
            Subject::Pending(pending) => &pending.name,
        }
    }

    /// The username, for a citizen who has one.
    pub fn username(&self) -> Option<&str> {
        match self {
            Subject::Citizen(_, citizen) => Some(&citizen.username),
            Subject::Pending(_) => None,
        }
    }
}

/// The citizen or pending enrolment with this id, if any.
pub async fn subject(app: &App, id: &str) -> Result<Option<Subject>, StoreError> {
    if let Some(record) = citizens::record_of(app, id).await?
        && let Some(citizen) = record.citizen()
    {
        return Ok(Some(Subject::Citizen(Box::new(record), citizen)));
    }
    Ok(enrolments::pending(app, id).await?.map(Subject::Pending))
}

/// The link's part that says which letter it is: the citizen's id and the link's token.
#[derive(Clone, PartialEq, Eq)]
pub struct LetterLink {
    pub citizen_id: String,
    pub token: String,
}

impl std::fmt::Debug for LetterLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LetterLink({}, …)", self.citizen_id)
    }
}

impl LetterLink {
    /// The link's query string.
    pub fn query(&self) -> String {
        // Both are base64url: nothing to escape.
        format!("c={}&t={}", self.citizen_id, self.token)
    }

    /// As the browser keeps it in a cookie, `<citizen id>.<token>`.
    pub fn cookie_value(&self) -> String {
        format!("{}.{}", self.citizen_id, self.token)
    }

    /// From a cookie value, if it looks like one.
    pub fn from_cookie(value: &str) -> Option<LetterLink> {
        let (citizen_id, token) = crate::record::split_cookie(value)?;
        Some(LetterLink {
            citizen_id: citizen_id.to_string(),
            token: token.to_string(),
        })
    }
}

/// A letter just issued: the code to print (shown once) and when it stops holding.
#[derive(Debug, Clone)]
pub struct Issued {
    pub code: ActivationCode,
    pub link: LetterLink,
    pub valid_until: i64,
}

/// Issues a letter for `subject` (replacing any earlier one) and queues the mail with its link
/// to the citizen's address, in one transaction, audited with the officer as actor.
pub async fn issue(
    app: &App,
    subject: &Subject,
    officer_actor: &str,
    mail: impl FnOnce(&LetterLink, i64) -> Mail,
) -> Result<Issued, StoreError> {
    let citizen_id = subject.id();
    let code = ActivationCode::generate();
    let link = LetterLink {
        citizen_id: citizen_id.to_string(),
        token: random_id(),
    };
    let now = app.clock.now_secs();
    let valid_until = now + app.settings.activation_letter_days * 24 * 3600;
    let item = Item::new(pk(citizen_id), SORT_KEY)
        .expiring_at(valid_until + KEEP_AFTER_SECONDS)
        .with_s(
            "link",
            keyed_hash(
                &app.secrets.key(KeyPurpose::CodeHash),
                &link_context(citizen_id),
                &link.token,
            ),
        )
        .with_s("code", code_hash(app, citizen_id, &code))
        .with_s("state", LetterState::Issued.as_str())
        .with_n("tries", 0)
        .with_n("valid_until", valid_until)
        .with_n("issued_at", now)
        .with_s("issued_by", officer_actor);
    let queued = dispatch::queue_mail(mail(&link, valid_until));
    let writes = vec![
        Write::Put {
            item,
            condition: None,
        },
        queued.write(app),
        crate::audit::write(app, "office.letter", citizen_id, "issued"),
    ];
    app.store.transact(writes).await?;
    dispatch::after_commit(app, std::slice::from_ref(&queued)).await;
    Ok(Issued {
        code,
        link,
        valid_until,
    })
}

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterState {
    /// Issued, the code not yet entered.
    Issued,
    /// The right code was entered; the username and password are still to choose.
    Verified,
    /// Spent: the citizen chose username and password with it.
    Used,
    /// An officer revoked it.
    Revoked,
}

impl LetterState {
    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::Issued => "issued",
            LetterState::Verified => "verified",
            LetterState::Used => "used",
            LetterState::Revoked => "revoked",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            LetterState::Issued,
            LetterState::Verified,
            LetterState::Used,
            LetterState::Revoked,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// A letter as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterStatus {
    pub state: LetterState,
    pub valid_until: i64,
    pub tries: i64,
    pub issued_at: i64,
    pub issued_by: String,
}

/// How a letter stands at a moment: its state, and for one still open whether it expired or
/// ran out of tries (the one order every reader of a letter follows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Issued,
    Verified,
    Used,
    Revoked,
    Expired,
    /// Too many wrong codes.
    Exhausted,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Issued => "issued",
            Standing::Verified => "verified",
            Standing::Used => "used",
            Standing::Revoked => "revoked",
            Standing::Expired => "expired",
            Standing::Exhausted => "exhausted",
        }
    }
}

impl LetterStatus {
    /// How the letter stands at `now`.
    pub fn standing(&self, now: i64) -> Standing {
        match self.state {
            LetterState::Used => Standing::Used,
            LetterState::Revoked => Standing::Revoked,
            _ if now >= self.valid_until => Standing::Expired,
            _ if self.tries >= MAX_TRIES => Standing::Exhausted,
            LetterState::Verified => Standing::Verified,
            LetterState::Issued => Standing::Issued,
        }
    }

    /// Whether the code can still be entered.
    pub fn usable(&self, now: i64) -> bool {
        matches!(self.standing(now), Standing::Issued | Standing::Verified)
    }
}

fn status_of(item: &Item) -> Option<LetterStatus> {
    Some(LetterStatus {
        state: LetterState::parse(item.s("state")?)?,
        valid_until: item.n("valid_until")?,
        tries: item.n("tries").unwrap_or(0),
        issued_at: item.n("issued_at").unwrap_or(0),
        issued_by: item.s("issued_by").unwrap_or_default().to_string(),
    })
}

/// The citizen's letter, if one was issued (and is still kept).
pub async fn status(app: &App, citizen_id: &str) -> Result<Option<LetterStatus>, StoreError> {
    Ok(app
        .store
        .get(&pk(citizen_id), SORT_KEY)
        .await?
        .as_ref()
        .and_then(status_of))
}

/// Why a letter's code or link was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterRefusal {
    /// No letter has this link (never issued, replaced by a newer one, or long gone).
    Unknown,
    Expired,
    Used,
    Revoked,
    /// Too many wrong codes: the letter no longer works.
    Exhausted,
    /// The code is wrong; `left` more tries.
    Wrong {
        left: i64,
    },
}

/// The letter behind `link` as it stands now, or why it cannot be used.
fn usable_letter(app: &App, item: Option<Item>, link: &LetterLink) -> Result<Item, LetterRefusal> {
    let item = item.ok_or(LetterRefusal::Unknown)?;
    let link_right = item.s("link").is_some_and(|stored| {
        keyed_hash_matches(
            &app.secrets.key(KeyPurpose::CodeHash),
            &link_context(&link.citizen_id),
            &link.token,
            stored,
        )
    });
    let status = status_of(&item).filter(|_| link_right);
    let status = status.ok_or(LetterRefusal::Unknown)?;
    match status.standing(app.clock.now_secs()) {
        Standing::Used => Err(LetterRefusal::Used),
        Standing::Revoked => Err(LetterRefusal::Revoked),
        Standing::Expired => Err(LetterRefusal::Expired),
        Standing::Exhausted => Err(LetterRefusal::Exhausted),
        Standing::Issued | Standing::Verified => Ok(item),
    }
}

/// Whether the letter behind `link` can still be used (its code not yet checked).
pub async fn open(app: &App, link: &LetterLink) -> Result<Result<(), LetterRefusal>, StoreError> {
    let item = app.store.get(&pk(&link.citizen_id), SORT_KEY).await?;
    Ok(usable_letter(app, item, link).map(|_| ()))
}

/// Checks the code typed for the letter behind `link`: a try is taken first (one conditional
/// write), then the code compared; the right code lets the citizen choose username and password
/// for [`VERIFIED_SECONDS`].
pub async fn check_code(
    app: &App,
    link: &LetterLink,
    typed: &str,
) -> Result<Result<(), LetterRefusal>, StoreError> {
    let key = pk(&link.citizen_id);
    let item = app.store.get(&key, SORT_KEY).await?;
    let item = match usable_letter(app, item, link) {
        Ok(item) => item,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let stored_link = item.s("link").unwrap_or_default().to_string();
    let try_condition = Condition::All(vec![
        Condition::equals("link", Value::S(stored_link.clone())),
        Condition::below("tries", MAX_TRIES),
    ]);
    let tried = match app
        .store
        .update(
            &key,
            SORT_KEY,
            Change::new().add("tries", 1),
            Some(try_condition),
        )
        .await?
    {
        Updated::Changed(item) => item,
        Updated::Refused(now) => {
            return Ok(Err(usable_letter(app, now, link)
                .err()
                .unwrap_or(LetterRefusal::Exhausted)));
        }
    };
    let right = match (ActivationCode::parse(typed), tried.s("code")) {
        (Some(code), Some(stored)) => keyed_hash_matches(
            &app.secrets.key(KeyPurpose::CodeHash),
            &code_context(&link.citizen_id),
            &code.0,
            stored,
        ),
        _ => false,
    };
    if !right {
        let left = MAX_TRIES - tried.n("tries").unwrap_or(MAX_TRIES);
        let outcome = if left <= 0 { "exhausted" } else { "wrong_code" };
        crate::audit::record(app, "letter.code", Some(&link.citizen_id), outcome).await;
        return Ok(Err(if left <= 0 {
            LetterRefusal::Exhausted
        } else {
            LetterRefusal::Wrong { left }
        }));
    }
    let change = Change::new()
        .set_s("state", LetterState::Verified.as_str())
        .set_n("verified_until", app.clock.now_secs() + VERIFIED_SECONDS)
        .set_n("tries", 0);
    let condition = Condition::equals("link", Value::S(stored_link));
    app.store
        .update(&key, SORT_KEY, change, Some(condition))
        .await?
        .changed()?;
    crate::audit::record(app, "letter.code", Some(&link.citizen_id), "right").await;
    Ok(Ok(()))
}

/// The citizen the letter behind `link` is for, if its right code was entered in the last
/// [`VERIFIED_SECONDS`] and it is not spent: the page that chooses username and password.
pub async fn verified(app: &App, link: &LetterLink) -> Result<Option<Subject>, StoreError> {
    let item = app.store.get(&pk(&link.citizen_id), SORT_KEY).await?;
    let Ok(item) = usable_letter(app, item, link) else {
        return Ok(None);
    };
    let now = app.clock.now_secs();
    let fresh = item.s("state") == Some(LetterState::Verified.as_str())
        && item.n("verified_until").is_some_and(|until| until > now);
    if !fresh {
        return Ok(None);
    }
    subject(app, &link.citizen_id).await
}

/// Why the username and password were not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceRefused {
    /// The letter's code was not (or no longer) verified: start again from the link.
    NotVerified,
    UsernameTaken,
    /// The username cannot be used (the reason, as `input::username_problem` gives it).
    Username(&'static str),
    /// The password cannot be used (as `input::password_problem` gives it).
    Password(&'static str),
}

/// Spends the letter: a citizen enrolled at the office gets a record with the chosen username
/// and password; a citizen with a record gets the new password (every session and grant ends,
/// remembered browsers are forgotten, the lockout is cleared, `notice` is mailed). Either way a
/// wizard-only session opens, in the same transaction, to activate a key. Answers the session
/// cookie's value.
pub async fn choose_account(
    app: &App,
    link: &LetterLink,
    username: &str,
    password: &str,
    notice: impl FnOnce(&Citizen) -> Mail,
) -> Result<Result<String, ChoiceRefused>, StoreError> {
    let Some(subject) = verified(app, link).await? else {
        return Ok(Err(ChoiceRefused::NotVerified));
    };
    let username = subject
        .username()
        .map(str::to_string)
        .unwrap_or_else(|| username.trim().to_string());
    if let Some(problem) = crate::input::username_problem(&username) {
        return Ok(Err(ChoiceRefused::Username(problem)));
    }
    if let Some(problem) = crate::input::password_problem(password, &username, subject.email()) {
        return Ok(Err(ChoiceRefused::Password(problem)));
    }
    let Ok(hash) = crate::passwords::hash(password.to_string()).await else {
        return Err(StoreError::Unavailable(
            "the password could not be hashed".into(),
        ));
    };
    let spent = Write::Update {
        pk: pk(&link.citizen_id),
        sk: SORT_KEY.into(),
        change: Change::new()
            .set_s("state", LetterState::Used.as_str())
            .set_n("used_at", app.clock.now_secs())
            .remove("verified_until"),
        condition: Some(Condition::equals(
            "state",
            Value::S(LetterState::Verified.as_str().into()),
        )),
    };
    match subject {
        Subject::Pending(pending) => {
            let ck = citizen_key(app, &username);
            let (attr, session, cookie) = crate::session::letter_session(app, &ck);
            let mut record = citizens::profile_item(
                app,
                &pending.id,
                &username,
                &pending.email,
                pending.lang,
                &hash,
            )
            .with_s("name", &pending.name)
            .with_s(&attr, session);
            if let Some(hash) = &pending.nrn_hash {
                record.set(crate::national_number::ATTR, Value::S(hash.clone()));
            }
            let mut writes = vec![
                citizens::record_put(record),
                citizens::look_alike_index(app, &username, &ck),
                citizens::id_index(&pending.id, &ck),
                crate::addresses::listed(app, &pending.email, &ck),
                spent,
                crate::audit::write(app, "letter.activation", &pending.id, "account_chosen"),
            ];
            writes.extend(pending.completed(&ck));
            match app.store.transact(writes).await {
                Ok(()) => Ok(Ok(cookie)),
                // The username is taken, or another looks the same.
                Err(StoreError::TransactionCanceled { failed })
                    if failed.contains(&0) || failed.contains(&1) =>
                {
                    Ok(Err(ChoiceRefused::UsernameTaken))
                }
                Err(StoreError::TransactionCanceled { .. }) => Ok(Err(ChoiceRefused::NotVerified)),
                Err(err) => Err(err),
            }
        }
        Subject::Citizen(record, citizen) => {
            let mut record = *record;
            record.set_s("password", hash);
            record.end_sessions_except(None);
            record.forget_devices();
            record.unlock();
            let cookie = record.start_letter_session(app);
            record.audit(app, "letter.activation", "password_reset");
            record.queue_mail(app, notice(&citizen));
            record.also(spent);
            match record.commit(app).await {
                Ok(()) => Ok(Ok(cookie)),
                Err(CommitError::Conflict { .. }) => Ok(Err(ChoiceRefused::NotVerified)),
                Err(CommitError::Store(err)) => Err(err),
            }
        }
    }
}

/// Revokes the citizen's letter (if it can still be used), audited with the officer as actor.
/// Whether there was one to revoke.
pub async fn revoke(app: &App, citizen_id: &str) -> Result<bool, StoreError> {
    let change = Change::new().set_s("state", LetterState::Revoked.as_str());
    let condition = Condition::Any(vec![
        Condition::equals("state", Value::S(LetterState::Issued.as_str().into())),
        Condition::equals("state", Value::S(LetterState::Verified.as_str().into())),
    ]);
    let revoked = matches!(
        app.store
            .update(&pk(citizen_id), SORT_KEY, change, Some(condition))
            .await?,
        Updated::Changed(_)
    );
    if revoked {
        crate::audit::record(app, "office.letter", Some(citizen_id), "revoked").await;
    }
    Ok(revoked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;
    use crate::mailer::Mail;
    use crate::national_number::{Holder, NationalNumber};

    fn mail(link: &LetterLink, _until: i64) -> Mail {
        Mail {
            to: "an@example.org".into(),
            subject: "letter".into(),
            text: link.query(),
            html: String::new(),
        }
    }

    fn notice(citizen: &Citizen) -> Mail {
        Mail {
            to: citizen.email.clone(),
            subject: "reset".into(),
            text: String::new(),
            html: String::new(),
        }
    }

    async fn pending_with_letter(app: &App) -> (Pending, Issued) {
        let number = NationalNumber::parse("85073003328").expect("valid");
        let pending = enrolments::enrol(
            app,
            enrolments::AtOffice {
                name: "An Peeters".into(),
                email: "an@example.org".into(),
                lang: Lang::Fr,
                national_number: Some(number),
            },
            "officer:els",
        )
        .await
        .expect("enrolled");
        let subject = subject(app, &pending.id)
            .await
            .expect("read")
            .expect("there");
        let issued = issue(app, &subject, "officer:els", mail)
            .await
            .expect("issued");
        (pending, issued)
    }

    #[tokio::test]
    async fn the_account_chosen_with_a_letter_takes_over_the_enrolment_and_its_number() {
        let (app, _clock) = test_app();
        let (pending, issued) = pending_with_letter(&app).await;
        let number = NationalNumber::parse("85073003328").expect("valid");
        assert!(matches!(
            crate::national_number::holder(&app, &number).await,
            Ok(Some(Holder::Enrolment(ref id))) if *id == pending.id
        ));
        assert_eq!(
            choose_account(
                &app,
                &issued.link,
                "an.peeters",
                "willow harbour 2035",
                notice
            )
            .await,
            Ok(Err(ChoiceRefused::NotVerified)),
            "the code comes first"
        );
        assert_eq!(
            check_code(&app, &issued.link, &issued.code.grouped()).await,
            Ok(Ok(()))
        );
        let cookie = choose_account(
            &app,
            &issued.link,
            "an.peeters",
            "willow harbour 2035",
            notice,
        )
        .await
        .expect("store")
        .expect("chosen");
        assert!(cookie.starts_with(&citizen_key(&app, "an.peeters")));
        assert_eq!(enrolments::pending(&app, &pending.id).await, Ok(None));
        let record = match crate::national_number::holder(&app, &number).await {
            Ok(Some(Holder::Citizen(record))) => record,
            other => panic!("the number finds the citizen now: {other:?}"),
        };
        let citizen = record.citizen().expect("a citizen");
        assert_eq!(
            (
                citizen.id.as_str(),
                citizen.username.as_str(),
                citizen.name.as_deref()
            ),
            (pending.id.as_str(), "an.peeters", Some("An Peeters"))
        );
        assert!(
            record.keys().is_empty(),
            "no key until the wizard activates one"
        );
        let secret = cookie.split_once('.').map(|(_, s)| s).expect("cookie");
        let session = record
            .wizard_session(&app, secret)
            .expect("a letter session");
        assert!(session.wizard_only && session.letter);
        assert!(
            record.session(&app, secret).is_none(),
            "it reaches nothing else"
        );
        assert_eq!(
            status(&app, &pending.id)
                .await
                .expect("read")
                .map(|s| s.state),
            Some(LetterState::Used)
        );
        assert_eq!(open(&app, &issued.link).await, Ok(Err(LetterRefusal::Used)));
    }

    #[tokio::test]
    async fn a_taken_username_leaves_the_letter_to_choose_another() {
        let (app, _clock) = test_app();
        let (_, first) = pending_with_letter(&app).await;
        check_code(&app, &first.link, &first.code.grouped())
            .await
            .expect("store")
            .expect("right");
        choose_account(&app, &first.link, "taken", "willow harbour 2035", notice)
            .await
            .expect("store")
            .expect("chosen");
        let other = enrolments::enrol(
            &app,
            enrolments::AtOffice {
                name: "Bo Maes".into(),
                email: "bo@example.org".into(),
                lang: Lang::Nl,
                national_number: None,
            },
            "officer:els",
        )
        .await
        .expect("enrolled");
        let subject = subject(&app, &other.id)
            .await
            .expect("read")
            .expect("there");
        let issued = issue(&app, &subject, "officer:els", mail)
            .await
            .expect("issued");
        check_code(&app, &issued.link, &issued.code.grouped())
            .await
            .expect("store")
            .expect("right");
        assert_eq!(
            choose_account(&app, &issued.link, "Taken", "willow harbour 2036", notice).await,
            Ok(Err(ChoiceRefused::UsernameTaken))
        );
        assert!(
            verified(&app, &issued.link).await.expect("read").is_some(),
            "still to choose"
        );
        assert!(
            choose_account(&app, &issued.link, "bo.maes", "willow harbour 2036", notice)
                .await
                .expect("store")
                .is_ok()
        );
    }

    #[tokio::test]
    async fn the_right_code_holds_fifteen_minutes_and_a_revoked_letter_none() {
        let (app, clock) = test_app();
        let (pending, issued) = pending_with_letter(&app).await;
        check_code(&app, &issued.link, &issued.code.grouped())
            .await
            .expect("store")
            .expect("right");
        clock.advance(time::Duration::seconds(VERIFIED_SECONDS + 1));
        assert_eq!(
            verified(&app, &issued.link).await.map(|s| s.is_some()),
            Ok(false)
        );
        assert_eq!(revoke(&app, &pending.id).await, Ok(true));
        assert_eq!(revoke(&app, &pending.id).await, Ok(false));
        assert_eq!(
            check_code(&app, &issued.link, &issued.code.grouped()).await,
            Ok(Err(LetterRefusal::Revoked))
        );
    }

    #[test]
    fn codes_read_back_as_typed_and_print_in_groups() {
        let code = ActivationCode::generate();
        assert_eq!(code.0.len(), CODE_CHARS);
        let printed = code.grouped();
        assert_eq!(printed.len(), CODE_CHARS + 3);
        assert_eq!(ActivationCode::parse(&printed), Some(code.clone()));
        assert_eq!(
            ActivationCode::parse(&printed.to_lowercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(
            ActivationCode::parse("oooo-iiii-llll-0000"),
            ActivationCode::parse("0000111111110000")
        );
        assert_eq!(
            ActivationCode::parse("ABCD-EFGH-JKMN-PQR"),
            None,
            "too short"
        );
        assert_eq!(ActivationCode::parse("ABCD-EFGH-JKMN-PQRU"), None, "no U");
        assert_eq!(
            format!("{:?}", ActivationCode::generate()),
            "ActivationCode(…)"
        );
    }
}
