//! The provider's settings, read from the environment (README, Settings).

use keys_domain::config::{ConfigError, Runner};

/// How ID tokens are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerKind {
    /// A private key in this process (the local runner): `OIDC_LOCAL_SIGNING_KEY` or one made at start.
    Local,
    /// An asymmetric AWS KMS key (RSA_2048, RSASSA_PKCS1_V1_5_SHA_256) that never leaves KMS.
    Kms,
}

/// Everything configurable about the provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer identifier (`https://host[/base]`): required in Lambda; the local runner's
    /// default is its own address. Never taken from a request's `Host`.
    pub issuer: Option<String>,
    pub signer: SignerKind,
    /// KMS key ids: the first signs, all are published in the JWKS (two during a rotation).
    pub signing_key_ids: Vec<String>,
    /// A PKCS#8 PEM RSA private key for the local signer; none: one is made at start.
    pub local_signing_key: Option<String>,
    /// Life of an authorization code (single use).
    pub code_ttl_seconds: i64,
    /// Life of an access token (userinfo).
    pub access_token_ttl_seconds: i64,
    /// Life of an ID token.
    pub id_token_ttl_seconds: i64,
    /// How long a citizen may take to log in between the service's request and the code.
    pub request_ttl_seconds: i64,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            issuer: None,
            signer: SignerKind::Local,
            signing_key_ids: Vec::new(),
            local_signing_key: None,
            code_ttl_seconds: 60,
            access_token_ttl_seconds: 600,
            id_token_ttl_seconds: 300,
            request_ttl_seconds: 15 * 60,
        }
    }
}

fn bad(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        problem: problem.into(),
    }
}

impl OidcSettings {
    /// Reads the process environment.
    pub fn from_env(runner: Runner) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok(), runner)
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        runner: Runner,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let defaults = Self::default();
        let issuer = get("OIDC_ISSUER").map(|text| issuer(&text)).transpose()?;
        if issuer.is_none() && runner == Runner::Lambda {
            return Err(bad(
                "OIDC_ISSUER",
                "is required: the address services know the provider by (https://host[/base])",
            ));
        }
        let signer = match get("OIDC_SIGNER").as_deref() {
            None if runner == Runner::Local => SignerKind::Local,
            None => SignerKind::Kms,
            Some("local") => SignerKind::Local,
            Some("kms") => SignerKind::Kms,
            Some(other) => {
                return Err(bad("OIDC_SIGNER", format!("'{other}' is not local or kms")));
            }
        };
        let signing_key_ids: Vec<String> = get("OIDC_SIGNING_KEY_IDS")
            .map(|list| {
                list.split(',')
                    .map(|id| id.trim().to_string())
                    .filter(|id| !id.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(id) = signing_key_ids.iter().find(|id| {
            id.len() > 256
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-:/_".contains(c))
        }) {
            return Err(bad(
                "OIDC_SIGNING_KEY_IDS",
                format!("'{id}' is not a KMS key id"),
            ));
        }
        Ok(Self {
            issuer,
            signer,
            signing_key_ids,
            local_signing_key: get("OIDC_LOCAL_SIGNING_KEY"),
            code_ttl_seconds: positive(&get, "OIDC_CODE_TTL_SECONDS", defaults.code_ttl_seconds)?,
            access_token_ttl_seconds: positive(
                &get,
                "OIDC_ACCESS_TOKEN_TTL_SECONDS",
                defaults.access_token_ttl_seconds,
            )?,
            id_token_ttl_seconds: positive(
                &get,
                "OIDC_ID_TOKEN_TTL_SECONDS",
                defaults.id_token_ttl_seconds,
            )?,
            request_ttl_seconds: defaults.request_ttl_seconds,
        })
    }
}

/// An issuer: an https URL (http only on loopback or an emulator's loopback names) without query
/// or fragment, no trailing slash.
pub fn issuer(text: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(text.trim())
        .map_err(|e| bad("OIDC_ISSUER", format!("'{text}' is not a URL ({e})")))?;
    let loopback = url.host_str().is_some_and(|host| {
        matches!(host, "localhost" | "127.0.0.1" | "[::1]")
            || host.ends_with(".localhost")
            || host.ends_with(".localhost.localstack.cloud")
    });
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(bad("OIDC_ISSUER", "must be https (http only on loopback)"));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(bad("OIDC_ISSUER", "has no query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn positive(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<i64>() {
            Ok(value) if value > 0 => Ok(value),
            _ => Err(bad(name, format!("'{text}' is not a number above zero"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)], runner: Runner) -> Result<OidcSettings, ConfigError> {
        OidcSettings::from_lookup(
            |name| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            runner,
        )
    }

    #[test]
    fn defaults_follow_the_runner() {
        let local = read(&[], Runner::Local).expect("defaults");
        assert_eq!(local.signer, SignerKind::Local);
        assert_eq!(local.code_ttl_seconds, 60);
        assert_eq!(local.issuer, None);
        assert_eq!(
            read(&[], Runner::Lambda).expect_err("no issuer").name,
            "OIDC_ISSUER",
            "Lambda cannot start without its issuer"
        );
        let lambda =
            read(&[("OIDC_ISSUER", "https://keys.example")], Runner::Lambda).expect("defaults");
        assert_eq!(lambda.signer, SignerKind::Kms);
    }

    #[test]
    fn issuer_and_keys_are_checked() {
        let s = read(
            &[
                ("OIDC_ISSUER", "https://keys.example/prod/"),
                ("OIDC_SIGNING_KEY_IDS", "1234abcd-12ab, 5678efgh-56ef"),
            ],
            Runner::Lambda,
        )
        .expect("ok");
        assert_eq!(s.issuer.as_deref(), Some("https://keys.example/prod"));
        assert_eq!(s.signing_key_ids, ["1234abcd-12ab", "5678efgh-56ef"]);
        for bad in ["http://keys.example", "https://k.example/?a=1", "not a url"] {
            assert_eq!(
                read(&[("OIDC_ISSUER", bad)], Runner::Local)
                    .expect_err(bad)
                    .name,
                "OIDC_ISSUER"
            );
        }
        assert!(read(&[("OIDC_ISSUER", "http://127.0.0.1:3000")], Runner::Local).is_ok());
        assert!(
            read(
                &[(
                    "OIDC_ISSUER",
                    "http://abc.execute-api.localhost.localstack.cloud:4566/prod"
                )],
                Runner::Lambda
            )
            .is_ok(),
            "LocalStack's API names resolve to loopback"
        );
        assert_eq!(
            read(&[("OIDC_SIGNING_KEY_IDS", "a b")], Runner::Local)
                .expect_err("space")
                .name,
            "OIDC_SIGNING_KEY_IDS"
        );
        assert_eq!(
            read(&[("OIDC_CODE_TTL_SECONDS", "0")], Runner::Local)
                .expect_err("zero")
                .name,
            "OIDC_CODE_TTL_SECONDS"
        );
        assert_eq!(
            read(&[("OIDC_SIGNER", "hsm")], Runner::Local)
                .expect_err("hsm")
                .name,
            "OIDC_SIGNER"
        );
    }
}
