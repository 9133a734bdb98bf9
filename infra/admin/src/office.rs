//! The registration offices' commands: add an officer (the app secret shown once), give or take the officer role, enrol a citizen in person, issue, show and revoke an activation letter.

use keys_domain::app::App;
use keys_domain::lang::Lang;
use keys_domain::national_number::NationalNumber;
use keys_domain::office::enrolments::{self, AtOffice};
use keys_domain::office::letters::{self, Standing};
use keys_domain::office::officers;
use serde::Serialize;

/// An officer just added: the app secret to type into (or scan with) the authenticator app.
#[derive(Debug, Serialize)]
pub struct OfficerAdded {
    pub id: String,
    /// Base32, shown once; the table keeps it only sealed.
    pub app_secret: String,
    pub otpauth_uri: String,
}

impl OfficerAdded {
    pub fn text(&self) -> String {
        format!(
            "officer {} added with the officer role\napp secret (shown once; add it to the officer's authenticator app): {}\n{}\n",
            self.id, self.app_secret, self.otpauth_uri
        )
    }
}

/// Adds an officer with the officer role.
pub async fn add_officer(
    app: &App,
    id: &str,
    name: &str,
    password: &str,
) -> Result<OfficerAdded, String> {
    let secret = officers::add(app, id, name, password)
        .await
        .map_err(|err| match err {
            officers::OfficerError::Invalid("password") => {
                "the password is too weak: at least 12 characters, not a common one, not like the id"
                    .to_string()
            }
            other => other.to_string(),
        })?;
    let id = officers::normalise_id(id).unwrap_or_default();
    Ok(OfficerAdded {
        otpauth_uri: secret.otpauth_uri(&format!("office:{id}")),
        app_secret: secret.base32(),
        id,
    })
}

/// Gives the officer role back, or takes it away (every open console session stops at its next
/// request).
pub async fn set_role(app: &App, id: &str, officer: bool) -> Result<String, String> {
    let role = officer.then_some(officers::ROLE_OFFICER);
    officers::set_role(app, id, role)
        .await
        .map_err(|err| err.to_string())?;
    Ok(match role {
        Some(_) => format!("{id} holds the officer role\n"),
        None => format!("{id} no longer holds the officer role\n"),
    })
}

/// A citizen enrolled in person.
#[derive(Debug, Serialize)]
pub struct Enrolled {
    pub citizen_id: String,
}

/// Enrols a citizen whose identity was checked in person (an activation letter comes next).
pub async fn enrol(
    app: &App,
    name: &str,
    email: &str,
    lang: Lang,
    nrn: Option<&str>,
) -> Result<Enrolled, String> {
    let national_number =
        match nrn {
            None => None,
            Some(text) => Some(NationalNumber::parse(text).ok_or(
                "--nrn is not a valid national register number (11 digits and their check)",
            )?),
        };
    let actor = keys_domain::audit::current_actor().unwrap_or_else(|| "operator:unknown".into());
    let pending = enrolments::enrol(
        app,
        AtOffice {
            name: name.to_string(),
            email: email.to_string(),
            lang,
            national_number,
        },
        &actor,
    )
    .await
    .map_err(|err| err.to_string())?;
    Ok(Enrolled {
        citizen_id: pending.id,
    })
}

/// A letter just issued: what to print for the citizen.
#[derive(Debug, Serialize)]
pub struct Issued {
    pub citizen_id: String,
    pub activation_code: String,
    pub valid_until: i64,
    pub lang: String,
}

impl Issued {
    pub fn text(&self) -> String {
        format!(
            "activation letter issued for {} (language {}); the link is mailed to the citizen\nactivation code (print it on the letter; shown only now): {}\nvalid until {} (Brussels time)\n",
            self.citizen_id,
            self.lang,
            self.activation_code,
            keys_web::i18n::format_date(Lang::En, self.valid_until).replace('\u{a0}', " ")
        )
    }
}

/// Issues an activation letter (an earlier one stops working) and mails its link.
pub async fn issue(app: &App, citizen_id: &str) -> Result<Issued, String> {
    if app.settings.public_url.is_none() && !app.deliver_in_process {
        return Err(
            "set PUBLIC_URL (or OIDC_ISSUER) to the service's address: the mailed link starts with it"
                .into(),
        );
    }
    let subject = letters::subject(app, citizen_id)
        .await
        .map_err(|err| err.to_string())?
        .ok_or_else(|| format!("no citizen or enrolment has the id {citizen_id}"))?;
    let actor = keys_domain::audit::current_actor().unwrap_or_else(|| "operator:unknown".into());
    let (lang, to, help_desk) = (
        subject.lang(),
        subject.email().to_string(),
        app.settings.help_desk.clone(),
    );
    let issued = letters::issue(app, &subject, &actor, |link, until| {
        keys_web::mails::letter_link_mail(
            lang,
            &to,
            &keys_web::steps::office::letter_url(app, link),
            until,
            &help_desk,
        )
    })
    .await
    .map_err(|err| err.to_string())?;
    Ok(Issued {
        citizen_id: citizen_id.to_string(),
        activation_code: issued.code.grouped(),
        valid_until: issued.valid_until,
        lang: lang.code().to_string(),
    })
}

/// A letter's state.
#[derive(Debug, Serialize)]
pub struct LetterView {
    pub citizen_id: String,
    pub state: &'static str,
    pub usable: bool,
    pub tries: i64,
    pub issued_at: i64,
    pub issued_by: String,
    pub valid_until: i64,
}

impl LetterView {
    pub fn text(&self) -> String {
        format!(
            "letter of {}: {}{}, {} wrong tries, issued by {}, valid until {}\n",
            self.citizen_id,
            self.state,
            if self.usable { " (still works)" } else { "" },
            self.tries,
            self.issued_by,
            keys_web::i18n::format_date(Lang::En, self.valid_until).replace('\u{a0}', " ")
        )
    }
}

/// The citizen's letter as it stands.
pub async fn letter(app: &App, citizen_id: &str) -> Result<LetterView, String> {
    let status = letters::status(app, citizen_id)
        .await
        .map_err(|err| err.to_string())?
        .ok_or_else(|| format!("no letter was issued for {citizen_id}"))?;
    let now = app.clock.now_secs();
    let state = match status.standing(now) {
        Standing::Used => "used",
        Standing::Revoked => "revoked",
        Standing::Expired => "expired",
        Standing::Exhausted => "blocked",
        Standing::Verified => "code entered",
        Standing::Issued => "issued",
    };
    Ok(LetterView {
        citizen_id: citizen_id.to_string(),
        state,
        usable: status.usable(now),
        tries: status.tries,
        issued_at: status.issued_at,
        issued_by: status.issued_by,
        valid_until: status.valid_until,
    })
}

/// Revokes the citizen's letter.
pub async fn revoke(app: &App, citizen_id: &str) -> Result<String, String> {
    match letters::revoke(app, citizen_id).await {
        Ok(true) => Ok(format!("the letter of {citizen_id} is revoked\n")),
        Ok(false) => Err(format!("{citizen_id} has no letter that still works")),
        Err(err) => Err(err.to_string()),
    }
}
