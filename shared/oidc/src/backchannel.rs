//! Back-Channel Logout 1.0: when a session ends, every service it logged into that registered a `backchannel_logout_uri` receives a signed logout token, delivered from the table's stream (or the local runner's sweep), retried, then dead-lettered; the citizen never waits for it.

use crate::clients::{self, Client};
use crate::signer::{self, Signer};
use async_trait::async_trait;
use keys_domain::App;
use keys_domain::crypto::{keyed_hash, random_id};
use keys_domain::logout_notices::{self, Stored};
use keys_domain::secrets::KeyPurpose;
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

    /// Delivers the notices of a DynamoDB stream batch; answers the partial-batch response naming
    /// the records to retry (then, after the retries, the dead-letter queue).
    pub async fn deliver_stream_batch(&self, event: &Json) -> Json {
        let mut failures = Vec::new();
        let records = event
            .get("Records")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        for record in &records {
            if record.get("eventName").and_then(Json::as_str) != Some("INSERT") {
                continue;
            }
            let Some(dynamodb) = record.get("dynamodb") else {
                continue;
            };
            let sequence = dynamodb
                .get("SequenceNumber")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(stored) = dynamodb
                .get("NewImage")
                .and_then(logout_notices::from_stream_image)
            else {
                continue;
            };
            if self.deliver(&stored).await == Outcome::Failed {
                failures.push(json!({ "itemIdentifier": sequence }));
            }
        }
        tracing::info!(
            records = records.len(),
            to_retry = failures.len(),
            "stream batch of logout notices"
        );
        json!({ "batchItemFailures": failures })
    }
}
