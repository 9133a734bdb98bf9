//! The token (the paper card with numbered codes): logged in with by card code until the sunset,
//! never activated.

use super::{KeyMethod, Moment};
use crate::app::App;
use crate::crypto::keyed_hash_matches;
use crate::domain::{KeyKind, KeyState, citizen_pk, key};
use crate::flows::login::{self, Identified, LoginFlow, Then, Transition};
use crate::flows::wizard::{self, Wizard};
use crate::routes::Route;
use crate::secrets::KeyPurpose;
use crate::store::StoreError;

/// The token method.
pub struct Token;

impl KeyMethod for Token {
    fn kind(&self) -> KeyKind {
        KeyKind::Token
    }

    fn name_id(&self) -> &'static str {
        "key-token"
    }

    fn hint_id(&self) -> &'static str {
        "key-token-hint"
    }

    fn activatable(&self) -> bool {
        false
    }

    /// Before the sunset and while active: the card code `challenge`; otherwise unavailable.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        at: Moment,
    ) -> login::Outcome {
        let sunset_passed = at.now >= at.sunset;
        if sunset_passed || key_state != Some(KeyState::Active) {
            let why = if sunset_passed {
                "sunset"
            } else {
                "deactivated"
            };
            return Ok(Transition {
                next: None,
                effects: vec![login::audit("login.token", why, who.citizen_id)],
                then: Then::Page(Route::TokenUnavailable),
            });
        }
        login::start(
            LoginFlow::AwaitingTokenCode {
                citizen_id: who.citizen_id.to_string(),
                username: who.username.to_string(),
                challenge: at.challenge,
            },
            Vec::new(),
        )
    }

    fn selected(&self, _address: &str) -> Option<(Wizard, Vec<wizard::Effect>)> {
        None
    }
}

pub(crate) fn card_context(citizen_id: &str, number: u8) -> String {
    format!("token-card/{citizen_id}/{number}")
}

/// Whether the citizen's token can still be used now: active, and before the sunset.
pub async fn usable(app: &App, citizen_id: &str) -> Result<bool, StoreError> {
    if app.clock.now() >= app.settings.token_sunset_at {
        return Ok(false);
    }
    Ok(key(app, citizen_id, KeyKind::Token)
        .await?
        .is_some_and(|k| k.state == KeyState::Active))
}

/// Whether `code` is code number `number` of the citizen's token card.
pub async fn card_code_matches(
    app: &App,
    citizen_id: &str,
    number: u8,
    code: &str,
) -> Result<bool, StoreError> {
    let Some(card) = app.store.get(&citizen_pk(citizen_id), "card").await? else {
        return Ok(false);
    };
    let Some(stored) = card.s(&format!("c{number}")) else {
        return Ok(false);
    };
    let key = app.secrets.key(KeyPurpose::CodeHash);
    Ok(keyed_hash_matches(
        &key,
        &card_context(citizen_id, number),
        code,
        stored,
    ))
}
