//! The mobile-app key (TOTP): paired in the wizard by QR code, logged in with by the app's code,
//! a code accepted once only.

use super::{KeyMethod, Moment};
use crate::app::App;
use crate::domain::{KeyKind, KeyState, citizen_pk};
use crate::flows::login::{self, Identified, LoginFlow};
use crate::flows::wizard::{self, Wizard};
use crate::store::{Condition, StoreError};

/// The mobile-app method.
pub struct AppKey;

impl KeyMethod for AppKey {
    fn kind(&self) -> KeyKind {
        KeyKind::App
    }

    fn name_id(&self) -> &'static str {
        "key-app"
    }

    fn hint_id(&self) -> &'static str {
        "key-app-hint"
    }

    fn activatable(&self) -> bool {
        true
    }

    /// While active: the app's code is asked for.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        _at: Moment,
    ) -> login::Outcome {
        login::require_active(who, key_state)?;
        login::start(
            LoginFlow::AwaitingAppCode {
                citizen_id: who.citizen_id.to_string(),
                username: who.username.to_string(),
            },
            Vec::new(),
        )
    }

    /// Step 3 starts with the apps to install.
    fn selected(&self, _address: &str) -> Option<(Wizard, Vec<wizard::Effect>)> {
        Some((Wizard::InstallApp, Vec::new()))
    }
}

/// The app key's sealed secret and the last time step accepted, when the app key is active.
pub async fn active_key(app: &App, citizen_id: &str) -> Result<Option<(String, i64)>, StoreError> {
    let item = app
        .store
        .get(&citizen_pk(citizen_id), &KeyKind::App.sort_key())
        .await?;
    Ok(item.and_then(|item| {
        if item.s("state") != Some(KeyState::Active.as_str()) {
            return None;
        }
        Some((item.s("secret")?.to_string(), item.n("last_step")?))
    }))
}

/// Records that the app code of time step `step` was used, on condition that no later or equal
/// step was used meanwhile (`last` is the last step read). `false` means the code was replayed.
pub async fn use_step(
    app: &App,
    citizen_id: &str,
    last: i64,
    step: i64,
) -> Result<bool, StoreError> {
    if step <= last {
        return Ok(false);
    }
    let pk = citizen_pk(citizen_id);
    let Some(mut item) = app.store.get(&pk, &KeyKind::App.sort_key()).await? else {
        return Ok(false);
    };
    item.set("last_step", crate::store::Value::N(step));
    let unchanged = Condition::equals("last_step", crate::store::Value::N(last));
    match app.store.put(item, Some(unchanged)).await {
        Ok(()) => Ok(true),
        Err(StoreError::ConditionFailed) => Ok(false),
        Err(other) => Err(other),
    }
}
