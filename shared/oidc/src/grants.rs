//! Authorization requests waiting for a login, codes, grants and access tokens, as table items.
//!
//! Items (ids are random, 256 bits; only their keyed hashes are keys):
//! - `oidc-request#<hash>` / `request`: a service's request while the citizen logs in (15 min).
//! - `oidc-code#<hash>` / `code`: a code, valid `OIDC_CODE_TTL_SECONDS` (60 s) and redeemed once;
//!   the item stays (marked used) as long as what it issued lives, so a replay is recognised.
//! - `oidc-grant#<id>` / `grant`: what one redeemed code issued; deleting it revokes its tokens.
//! - `oidc-token#<hash>` / `access`: an access token for userinfo, tied to its grant.
//! - `oidc-jti#<client>#<hash>` / `jti`: a `private_key_jwt` assertion already used.

use crate::levels::Level;
use keys_domain::App;
use keys_domain::citizens::DomainError;
use keys_domain::crypto::{keyed_hash, random_id};
use keys_domain::keys::KeyKind;
use keys_domain::secrets::KeyPurpose;
use keys_domain::service_request::{self, NAMES_ATTR, REQUEST_SK};
use keys_domain::session::Session;
use keys_domain::store::{Condition, Item, StoreError, Value, Write};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

fn hashed(app: &App, kind: &str, id: &str) -> String {
    format!(
        "{kind}#{}",
        keyed_hash(&app.secrets.key(KeyPurpose::SessionHash), kind, id)
    )
}

fn record_item<T: Serialize>(
    pk: String,
    sk: &str,
    record: &T,
    expires_at: i64,
) -> Result<Item, DomainError> {
    let json = serde_json::to_string(record).map_err(|e| DomainError::Unwritable {
        what: "OpenID Connect record",
        reason: e.to_string(),
    })?;
    Ok(Item::new(pk, sk)
        .expiring_at(expires_at)
        .with_s("record", json))
}

fn record_of<T: DeserializeOwned>(item: &Item) -> Option<T> {
    item.s("record")
        .and_then(|json| serde_json::from_str(json).ok())
}

/// A service's authorization request, kept while the citizen logs in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
    /// The weakest login that will do (the client's minimum and `acr_values`).
    pub level: Level,
    /// `prompt=login`, `max_age=0` or too old a session: only a login made for this request will
    /// do: a session created at or after `created_at` other than `stale_session` (the keyed hash
    /// of the session cookie seen when the request came, which is never one made for it).
    pub fresh_login: bool,
    pub stale_session: Option<String>,
    pub max_age: Option<i64>,
    pub created_at: i64,
}

/// A keyed hash of a session cookie's value, to tell a new login's session from the one before.
pub fn session_fingerprint(app: &App, session_cookie: &str) -> String {
    keyed_hash(
        &app.secrets.key(KeyPurpose::SessionHash),
        "oidc-seen-session",
        session_cookie,
    )
}

/// Stores a pending request with the names of the service that asks (for the login page);
/// answers its id (for the address the citizen comes back to).
pub async fn save_request(
    app: &App,
    request: &PendingRequest,
    service_names: &str,
    ttl: i64,
) -> Result<String, DomainError> {
    let id = random_id();
    let item = record_item(
        service_request::request_pk(app, &id),
        REQUEST_SK,
        request,
        app.clock.now_secs() + ttl,
    )?
    .with_s(NAMES_ATTR, service_names);
    app.store.put(item, Some(Condition::Absent)).await?;
    Ok(id)
}

/// Deletes a pending request (the citizen cancelled it); `false` when it was answered or
/// deleted meanwhile.
pub async fn drop_request(app: &App, id: &str) -> Result<bool, StoreError> {
    if id.len() > 64 {
        return Ok(false);
    }
    match app
        .store
        .delete(
            &service_request::request_pk(app, id),
            REQUEST_SK,
            Some(Condition::Present),
        )
        .await
    {
        Ok(()) => Ok(true),
        Err(StoreError::ConditionFailed) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The live pending request with this id, if any.
pub async fn load_request(app: &App, id: &str) -> Result<Option<PendingRequest>, StoreError> {
    if id.len() > 64 {
        return Ok(None);
    }
    let item = app
        .store
        .get(&service_request::request_pk(app, id), REQUEST_SK)
        .await?;
    Ok(item.as_ref().and_then(record_of))
}

/// What a code stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub scopes: Vec<String>,
    pub citizen_id: String,
    /// The key of the login (for `amr`).
    pub key: KeyKind,
    /// The key activated in the session since, if any (for `amr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rests_on: Option<KeyKind>,
    /// The level the session reached (`acr`).
    pub level: Level,
    /// When the citizen logged in (the session's start).
    pub auth_time: i64,
    pub issued_at: i64,
    /// The grant a redemption creates, named in advance so a replay can revoke it.
    pub grant_id: String,
    /// What the grant rests on: the session it was issued from.
    pub rests: RestsOn,
}

/// The session a code or an access token was issued from: the grant holds while it does
/// ([`keys_domain::session::grant_stands`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestsOn {
    /// The citizen key of the record that holds the session.
    pub ck: String,
    /// The record attribute of the session.
    pub session: String,
    /// The citizen's grant generation then.
    pub generation: i64,
}

impl RestsOn {
    pub fn session(session: &Session) -> Self {
        Self {
            ck: session.ck().to_string(),
            session: session.attr().to_string(),
            generation: session.grant_generation,
        }
    }

    /// Whether the session still stands and no sign-out everywhere, password, key or address
    /// change came since.
    pub async fn stands(&self, app: &App) -> Result<bool, StoreError> {
        keys_domain::session::grant_stands(app, &self.ck, &self.session, self.generation).await
    }
}

/// Issues a code for `grant`; with `consume`, the pending request it answers is deleted in the
/// same transaction (so one request gives one code). `None` when that request was used meanwhile.
pub async fn issue_code(
    app: &App,
    grant: &CodeGrant,
    keep_seconds: i64,
    consume: Option<&str>,
) -> Result<Option<String>, DomainError> {
    let code = random_id();
    let item = record_item(
        hashed(app, "oidc-code", &code),
        "code",
        grant,
        grant.issued_at + keep_seconds,
    )?
    .with_bool("used", false);
    let mut writes = vec![Write::Put {
        item,
        condition: Some(Condition::Absent),
    }];
    if let Some(request_id) = consume {
        writes.push(Write::Delete {
            pk: service_request::request_pk(app, request_id),
            sk: REQUEST_SK.into(),
            condition: Some(Condition::Present),
        });
    }
    match app.store.transact(writes).await {
        Ok(()) => Ok(Some(code)),
        Err(StoreError::TransactionCanceled { .. }) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// What redeeming a code found.
#[derive(Debug)]
pub enum Redeemed {
    /// The code is unknown, or expired long ago.
    Unknown,
    /// The code was redeemed before (the caller revokes what it issued when its own client
    /// presents it again: [`revoke`]).
    Replayed(CodeGrant),
    /// The code is live and not used; the caller checks it and then calls [`exchange`].
    Live(CodeGrant),
}

/// Looks a code up; a used one is a replay (RFC 6749 §4.1.2).
pub async fn find_code(app: &App, code: &str) -> Result<Redeemed, StoreError> {
    if code.len() > 64 {
        return Ok(Redeemed::Unknown);
    }
    let Some(item) = app
        .store
        .get(&hashed(app, "oidc-code", code), "code")
        .await?
    else {
        return Ok(Redeemed::Unknown);
    };
    let Some(grant) = record_of::<CodeGrant>(&item) else {
        return Ok(Redeemed::Unknown);
    };
    if item.bool("used") == Some(true) {
        return Ok(Redeemed::Replayed(grant));
    }
    Ok(Redeemed::Live(grant))
}

/// What a grant holds for userinfo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub grant_id: String,
    pub client_id: String,
    pub citizen_id: String,
    pub scopes: Vec<String>,
    pub key: KeyKind,
    pub rests: RestsOn,
}

/// Marks the code used and creates its grant and access token, all at once; `None` when the code
/// was used meanwhile (a replay racing the first redemption: the grant is then revoked).
pub async fn exchange(
    app: &App,
    code: &str,
    grant: &CodeGrant,
    access_ttl: i64,
) -> Result<Option<(String, AccessGrant)>, DomainError> {
    let now = app.clock.now_secs();
    let code_pk = hashed(app, "oidc-code", code);
    let used = record_item(code_pk.clone(), "code", grant, now + access_ttl.max(60))?
        .with_bool("used", true);
    let token = random_id();
    let access = AccessGrant {
        grant_id: grant.grant_id.clone(),
        client_id: grant.client_id.clone(),
        citizen_id: grant.citizen_id.clone(),
        scopes: grant.scopes.clone(),
        key: grant.key,
        rests: grant.rests.clone(),
    };
    let grant_item = record_item(
        format!("oidc-grant#{}", grant.grant_id),
        "grant",
        &access,
        now + access_ttl,
    )?;
    let token_item = record_item(
        hashed(app, "oidc-token", &token),
        "access",
        &access,
        now + access_ttl,
    )?;
    let writes = vec![
        Write::Put {
            item: used,
            condition: Some(Condition::equals("used", Value::Bool(false))),
        },
        Write::Put {
            item: grant_item,
            condition: Some(Condition::Absent),
        },
        Write::Put {
            item: token_item,
            condition: Some(Condition::Absent),
        },
    ];
    match app.store.transact(writes).await {
        Ok(()) => Ok(Some((token, access))),
        Err(StoreError::TransactionCanceled { .. }) => {
            revoke(app, &grant.grant_id).await?;
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

/// Revokes a grant: its access tokens stop working.
pub async fn revoke(app: &App, grant_id: &str) -> Result<(), StoreError> {
    tracing::info!(grant = %grant_id, "OpenID Connect grant revoked");
    app.store
        .delete(&format!("oidc-grant#{grant_id}"), "grant", None)
        .await
}

/// The grant behind a live access token whose grant is not revoked and whose session still
/// stands.
pub async fn access(app: &App, token: &str) -> Result<Option<AccessGrant>, StoreError> {
    if token.len() > 64 {
        return Ok(None);
    }
    let Some(item) = app
        .store
        .get(&hashed(app, "oidc-token", token), "access")
        .await?
    else {
        return Ok(None);
    };
    let Some(access) = record_of::<AccessGrant>(&item) else {
        return Ok(None);
    };
    let live = app
        .store
        .get(&format!("oidc-grant#{}", access.grant_id), "grant")
        .await?
        .is_some();
    if !live || !access.rests.stands(app).await? {
        return Ok(None);
    }
    Ok(Some(access))
}

/// Records a client assertion's `jti` until it expires; `false` when it was used before.
pub async fn first_use_of_assertion(
    app: &App,
    client_id: &str,
    jti: &str,
    expires_at: i64,
) -> Result<bool, StoreError> {
    let item = Item::new(
        format!(
            "oidc-jti#{client_id}#{}",
            keyed_hash(&app.secrets.key(KeyPurpose::SessionHash), "oidc-jti", jti)
        ),
        "jti",
    )
    .expiring_at(expires_at);
    match app.store.put(item, Some(Condition::Absent)).await {
        Ok(()) => Ok(true),
        Err(StoreError::ConditionFailed) => Ok(false),
        Err(other) => Err(other),
    }
}

/// A new grant id (named before the code is redeemed).
pub fn new_grant_id() -> String {
    keys_domain::crypto::random_short_id()
}

#[cfg(test)]
mod tests {
    use super::*;
    use keys_domain::harness::test_app;
    use keys_domain::record::{Record, split_cookie};

    /// A citizen with an active e-mail key and a live session, as a login leaves them.
    async fn logged_in(app: &App) -> Session {
        let mut record = Record::load(app, "ck1").await.expect("load");
        record.set_s("id", "c1");
        record.set_s("username", "u1");
        record.set_s(&KeyKind::Email.attr(), "active");
        let cookie = record.start_session(app, KeyKind::Email);
        record.commit(app).await.expect("commit");
        let (_, secret) = split_cookie(&cookie).expect("cookie");
        Record::load(app, "ck1")
            .await
            .expect("load")
            .session(app, secret)
            .expect("a live session")
    }

    fn grant(app: &App, session: &Session) -> CodeGrant {
        CodeGrant {
            client_id: "tax".into(),
            redirect_uri: "https://tax.example/cb".into(),
            code_challenge: "x".repeat(43),
            nonce: Some("n".into()),
            scopes: vec!["openid".into()],
            citizen_id: "c1".into(),
            key: KeyKind::Email,
            rests_on: None,
            level: Level::EmailCode,
            auth_time: app.clock.now_secs(),
            issued_at: app.clock.now_secs(),
            grant_id: new_grant_id(),
            rests: RestsOn::session(session),
        }
    }

    async fn token_for(app: &App, grant: &CodeGrant) -> String {
        let code = issue_code(app, grant, 600, None)
            .await
            .expect("store")
            .expect("issued");
        let (token, _) = exchange(app, &code, grant, 600)
            .await
            .expect("store")
            .expect("exchanged");
        token
    }

    #[tokio::test]
    async fn a_code_is_exchanged_once_and_a_replay_is_recognised() {
        let (app, _) = test_app();
        let session = logged_in(&app).await;
        let grant = grant(&app, &session);
        let code = issue_code(&app, &grant, 600, None)
            .await
            .expect("store")
            .expect("issued");
        let Redeemed::Live(found) = find_code(&app, &code).await.expect("store") else {
            panic!("the code is live");
        };
        assert_eq!(found, grant);
        let (token, _) = exchange(&app, &code, &found, 600)
            .await
            .expect("store")
            .expect("exchanged");
        assert!(access(&app, &token).await.expect("store").is_some());
        assert!(
            exchange(&app, &code, &found, 600)
                .await
                .expect("store")
                .is_none(),
            "a second exchange of the same code fails"
        );
        let Redeemed::Replayed(replayed) = find_code(&app, &code).await.expect("store") else {
            panic!("the code was used");
        };
        revoke(&app, &replayed.grant_id).await.expect("revoke");
        assert!(
            access(&app, &token).await.expect("store").is_none(),
            "the replay revoked the token"
        );
        assert!(matches!(
            find_code(&app, "nonsense").await.expect("store"),
            Redeemed::Unknown
        ));
    }

    #[tokio::test]
    async fn an_access_token_ends_with_its_session() {
        let (app, _) = test_app();
        let session = logged_in(&app).await;
        let token = token_for(&app, &grant(&app, &session)).await;
        assert!(access(&app, &token).await.expect("store").is_some());
        session.end(&app, "sign_out").await.expect("signed out");
        assert!(access(&app, &token).await.expect("store").is_none());
    }

    #[tokio::test]
    async fn every_grant_ends_when_the_citizens_other_sessions_end_even_the_keepers() {
        let (app, _) = test_app();
        let session = logged_in(&app).await;
        let token = token_for(&app, &grant(&app, &session)).await;
        let unredeemed = grant(&app, &session);
        assert!(unredeemed.rests.stands(&app).await.expect("store"));
        let mut record = Record::load(&app, "ck1").await.expect("load");
        record.end_sessions_except(Some(&session));
        record.commit(&app).await.expect("commit");
        assert!(access(&app, &token).await.expect("store").is_none());
        assert!(!unredeemed.rests.stands(&app).await.expect("store"));
        // The session goes on: a grant issued from it now holds.
        let record = Record::load(&app, "ck1").await.expect("load");
        let session = record.session_at(&app, session.attr()).expect("kept");
        let token = token_for(&app, &grant(&app, &session)).await;
        assert!(access(&app, &token).await.expect("store").is_some());
    }

    #[tokio::test]
    async fn a_pending_request_gives_one_code() {
        let (app, _) = test_app();
        let session = logged_in(&app).await;
        let request = PendingRequest {
            client_id: "tax".into(),
            redirect_uri: "https://tax.example/cb".into(),
            scopes: vec!["openid".into()],
            state: None,
            nonce: None,
            code_challenge: "x".repeat(43),
            level: Level::EmailCode,
            fresh_login: false,
            stale_session: None,
            max_age: None,
            created_at: app.clock.now_secs(),
        };
        let id = save_request(&app, &request, "{}", 900)
            .await
            .expect("saved");
        assert_eq!(load_request(&app, &id).await.expect("store"), Some(request));
        let grant = grant(&app, &session);
        assert!(
            issue_code(&app, &grant, 600, Some(&id))
                .await
                .expect("store")
                .is_some()
        );
        assert!(
            issue_code(&app, &grant, 600, Some(&id))
                .await
                .expect("store")
                .is_none()
        );
        assert_eq!(load_request(&app, &id).await.expect("store"), None);
        assert!(!drop_request(&app, &id).await.expect("store"));
    }

    #[tokio::test]
    async fn an_assertion_is_used_once() {
        let (app, _) = test_app();
        let at = app.clock.now_secs() + 60;
        assert!(
            first_use_of_assertion(&app, "tax", "j1", at)
                .await
                .expect("store")
        );
        assert!(
            !first_use_of_assertion(&app, "tax", "j1", at)
                .await
                .expect("store")
        );
        assert!(
            first_use_of_assertion(&app, "other", "j1", at)
                .await
                .expect("store")
        );
    }
}
