//! Back-Channel Logout 1.0: when a session ends, every service it logged into that registered a `backchannel_logout_uri` receives a signed logout token, delivered from the table's stream (or the local runner's sweep), retried, then dead-lettered; the citizen never waits for it.

use crate::clients::{self, Client};
use crate::signer::{self, Signer};
use async_trait::async_trait;
use keys_domain::App;
use keys_domain::crypto::{keyed_hash, random_id};
use keys_domain::logout_notices::{self, Stored};
use keys_domain::secrets::KeyPurpose;
use keys_domain::store::Item;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use std::sync::Arc;

/// The event a logout token carries (Back-Channel Logout 1.0 §2.4).
pub const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// The `typ` header of a logout token (§2.4: `logout+jwt`).
pub const TYP: &str = "logout+jwt";
/// A logout token's life: two minutes at most, as the spec recommends.
pub const LIFE_SECONDS: i64 = 120;

/// The session id a service knows a session by (`sid` in its ID tokens and logout tokens): a keyed
/// hash of the service's sector and the session's record attribute, so two services cannot link
/// the citizen by it (the subjects are pairwise too).
pub fn sid(app: &App, client: &Client, session_attr: &str) -> String {
    keyed_hash(
        &app.secrets.key(KeyPurpose::SessionHash),
        "oidc-sid",
        &format!("{}\u{0}{session_attr}", client.sector),
    )
}

/// The claims of a logout token (§2.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogoutClaims {
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub events: Json,
    pub sid: String,
    pub sub: String,
}

/// How a logout token reaches a service: an HTTP `POST` of a form (§2.5).
#[async_trait]
pub trait Poster: Send + Sync {
    /// Posts `body` (`application/x-www-form-urlencoded`) to `url`; answers the status.
    async fn post_form(&self, url: &str, body: String) -> Result<u16, String>;
}

/// [`Poster`] over HTTPS (reqwest with rustls): no redirects followed, 5 seconds at most.
pub struct HttpsPoster(reqwest::Client);

impl HttpsPoster {
    pub fn new() -> Result<Self, String> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(5))
            .build()
            .map(Self)
            .map_err(|e| e.to_string())
    }
}

#[async_trait]
impl Poster for HttpsPoster {
    async fn post_form(&self, url: &str, body: String) -> Result<u16, String> {
        let response = self
            .0
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        Ok(response.status().as_u16())
    }
}

/// What delivering logout tokens needs.
#[derive(Clone)]
pub struct Delivery {
    pub app: App,
    pub issuer: String,
    pub signer: Arc<dyn Signer>,
    pub poster: Arc<dyn Poster>,
}

/// How one notice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The service answered 2xx.
    Delivered,
    /// Nobody to tell: the client is gone or has no back-channel address any more.
    Dropped,
    /// To retry.
    Failed,
}

impl Delivery {
    /// The logout token for `stored`'s session at `client`, signed.
    pub async fn token(&self, client: &Client, stored: &Stored) -> Result<String, String> {
        let now = self.app.clock.now_secs();
        let claims = LogoutClaims {
            iss: self.issuer.clone(),
            aud: client.client_id.clone(),
            iat: now,
            exp: now + LIFE_SECONDS,
            jti: random_id(),
            events: json!({ EVENT: {} }),
            sid: sid(&self.app, client, &stored.notice.session),
            sub: client.subject(&self.app, &stored.notice.citizen_id),
        };
        signer::sign_jwt_typed(self.signer.as_ref(), TYP, &claims)
            .await
            .map_err(|e| e.to_string())
    }

    /// Delivers one notice and removes it once delivered (or when nobody is left to tell). A
    /// crash between the two may deliver it twice, which the spec allows (`jti`); never none.
    pub async fn deliver(&self, stored: &Stored) -> Outcome {
        // A stream batch retried from a failed record hands over the ones after it again: those
        // delivered already are gone from the table.
        match self.app.store.get(&stored.pk, &stored.sk).await {
            Ok(Some(_)) => {}
            Ok(None) => return Outcome::Dropped,
            Err(err) => {
                tracing::warn!(error = %err, "logout notice unreadable; will retry");
                return Outcome::Failed;
            }
        }
        let client = match clients::get(&self.app, &stored.notice.client_id).await {
            Ok(client) => client,
            Err(err) => {
                tracing::warn!(error = %err, "logout notice: client lookup failed; will retry");
                return Outcome::Failed;
            }
        };
        let Some((client, uri)) = client.and_then(|c| {
            let uri = c.backchannel_logout_uri.clone()?;
            Some((c, uri))
        }) else {
            tracing::info!(client = %stored.notice.client_id, "logout notice for a client without a back-channel address: dropped");
            let _ = logout_notices::delivered(&self.app, stored).await;
            return Outcome::Dropped;
        };
        let token = match self.token(&client, stored).await {
            Ok(token) => token,
            Err(err) => {
                tracing::warn!(error = %err, "logout token not signed; will retry");
                return Outcome::Failed;
            }
        };
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("logout_token", &token)
            .finish();
        match self.poster.post_form(&uri, body).await {
            Ok(status) if (200..300).contains(&status) => {
                tracing::info!(client = %client.client_id, "back-channel logout delivered");
                if let Err(err) = logout_notices::delivered(&self.app, stored).await {
                    tracing::warn!(error = %err, "logout delivered but its notice stays");
                }
                Outcome::Delivered
            }
            Ok(status) => {
                tracing::warn!(client = %client.client_id, status, "back-channel logout refused; will retry");
                Outcome::Failed
            }
            Err(err) => {
                tracing::warn!(client = %client.client_id, error = %err, "back-channel logout not delivered; will retry");
                Outcome::Failed
            }
        }
    }

    /// Delivers every notice still waiting (the local runner's sweep); answers how many went out.
    pub async fn deliver_pending(&self) -> usize {
        let waiting = match logout_notices::pending(&self.app).await {
            Ok(waiting) => waiting,
            Err(err) => {
                tracing::warn!(error = %err, "logout notices unreadable");
                return 0;
            }
        };
        let mut delivered = 0;
        for stored in waiting {
            if self.deliver(&stored).await == Outcome::Delivered {
                delivered += 1;
            }
        }
        delivered
    }

    /// Sweeps the notices every `period` (the local runner; Lambda has the stream).
    pub async fn sweep_every(self, period: std::time::Duration) {
        loop {
            tokio::time::sleep(period).await;
            self.deliver_pending().await;
        }
    }

    /// Delivers the logout notices among newly written `items` (each with the caller's tag: a
    /// stream record's sequence number); answers the tags of those to retry (then, after the
    /// retries, the dead-letter queue). Other items are left alone.
    pub async fn deliver_inserted<Tag>(&self, items: Vec<(Tag, Item)>) -> Vec<Tag> {
        let mut to_retry = Vec::new();
        for (tag, item) in items {
            let Some(stored) = logout_notices::from_item(&item) else {
                continue;
            };
            if self.deliver(&stored).await == Outcome::Failed {
                to_retry.push(tag);
            }
        }
        to_retry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::{Registration, register};
    use crate::signer::LocalSigner;
    use keys_domain::harness::test_app;
    use keys_domain::logout_notices::Notice;
    use std::sync::Mutex;

    /// A service's back-channel endpoint that answers `status` and keeps what it was sent.
    struct Endpoint {
        status: Mutex<u16>,
        received: Mutex<Vec<(String, String)>>,
    }

    #[async_trait]
    impl Poster for Endpoint {
        async fn post_form(&self, url: &str, body: String) -> Result<u16, String> {
            self.received
                .lock()
                .map_err(|e| e.to_string())?
                .push((url.to_string(), body));
            self.status.lock().map(|s| *s).map_err(|e| e.to_string())
        }
    }

    /// The tax office, registered with a back-channel logout address.
    async fn tax_office(app: &App) -> Client {
        register(
            app,
            Registration {
                name: "Tax office".into(),
                redirect_uris: vec!["https://tax.example/cb".into()],
                backchannel_logout_uri: Some("https://tax.example/backchannel".into()),
                ..Default::default()
            },
        )
        .await
        .expect("registered")
        .client
    }

    async fn queue(app: &App, client_id: &str) {
        let notice = Notice {
            client_id: client_id.into(),
            citizen_id: "c1".into(),
            session: "s_one".into(),
        };
        app.store
            .transact(vec![logout_notices::write(app, &notice)])
            .await
            .expect("queued");
    }

    #[tokio::test]
    async fn a_logout_token_is_retried_until_the_service_takes_it() {
        let (app, _) = test_app();
        let client = tax_office(&app).await;
        let silent = register(
            &app,
            Registration {
                name: "Quiet office".into(),
                redirect_uris: vec!["https://quiet.example/cb".into()],
                ..Default::default()
            },
        )
        .await
        .expect("registered")
        .client;
        let endpoint = Arc::new(Endpoint {
            status: Mutex::new(503),
            received: Mutex::new(Vec::new()),
        });
        let signer = LocalSigner::shared().expect("a key");
        let delivery = Delivery {
            app: app.clone(),
            issuer: "https://keys.example".into(),
            signer: signer.clone(),
            poster: endpoint.clone(),
        };
        queue(&app, &client.client_id).await;
        queue(&app, &silent.client_id).await;
        assert_eq!(delivery.deliver_pending().await, 0, "the service is down");
        assert_eq!(
            logout_notices::pending(&app).await.expect("store").len(),
            1,
            "kept for a retry; the one nobody waits for is dropped"
        );
        *endpoint.status.lock().expect("status") = 200;
        assert_eq!(delivery.deliver_pending().await, 1);
        assert!(
            logout_notices::pending(&app)
                .await
                .expect("store")
                .is_empty()
        );
        let received = endpoint.received.lock().expect("received").clone();
        assert_eq!(received.len(), 2, "one failed try, one delivery");
        let (url, body) = &received[1];
        assert_eq!(url, "https://tax.example/backchannel");
        let token = url::form_urlencoded::parse(body.as_bytes())
            .find(|(name, _)| name == "logout_token")
            .map(|(_, v)| v.into_owned())
            .expect("a logout_token field");
        let header = jsonwebtoken::decode_header(&token).expect("a JWT");
        assert_eq!(header.typ.as_deref(), Some(TYP));
        let key = signer::decoding_key(signer.as_ref(), header.kid.as_deref().expect("kid"))
            .await
            .expect("keys")
            .expect("the signing key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&[client.client_id.as_str()]);
        validation.set_issuer(&["https://keys.example"]);
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<LogoutClaims>(&token, &key, &validation)
            .expect("verified")
            .claims;
        assert_eq!(claims.exp - claims.iat, LIFE_SECONDS);
        assert_eq!(claims.events, json!({ EVENT: {} }));
        assert_eq!(claims.sid, sid(&app, &client, "s_one"));
        assert_eq!(claims.sub, client.subject(&app, "c1"));
        assert_ne!(
            claims.sid,
            sid(&app, &silent, "s_one"),
            "sids are per sector"
        );
    }

    #[tokio::test]
    async fn a_stream_batch_names_the_notices_to_retry() {
        let (app, _) = test_app();
        let client = tax_office(&app).await;
        let delivery = Delivery {
            app: app.clone(),
            issuer: "https://keys.example".into(),
            signer: LocalSigner::shared().expect("a key"),
            poster: Arc::new(Endpoint {
                status: Mutex::new(500),
                received: Mutex::new(Vec::new()),
            }),
        };
        queue(&app, &client.client_id).await;
        let stored = logout_notices::pending(&app).await.expect("store");
        let notice = Item::new(&stored[0].pk, &stored[0].sk)
            .with_s("client_id", &stored[0].notice.client_id)
            .with_s("citizen_id", &stored[0].notice.citizen_id)
            .with_s("session", &stored[0].notice.session);
        let items = vec![(7, notice), (8, Item::new("outbox#1", "mail#x"))];
        assert_eq!(delivery.deliver_inserted(items).await, vec![7]);
    }
}
