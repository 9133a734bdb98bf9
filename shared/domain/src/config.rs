//! The service's policy read from the environment (shared/ARCHITECTURE.md §8): the sunset, code and session lifetimes, where citizens may return, budgets; dates are settings, never constants. Which adapters serve it is `keys_aws::wiring`.

use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// Where the settings are being read: the local runner has friendlier defaults than a Lambda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Local,
    Lambda,
}

/// The service's policy: what the flows and pages follow, whatever adapters serve them.
#[derive(Debug, Clone)]
pub struct Settings {
    pub token_sunset_at: OffsetDateTime,
    /// The days of grace after the sunset (`TOKEN_GRACE_DAYS`, 0 by default: none): until
    /// [`Settings::token_grace_until`] a right token login may only activate a new key in the
    /// wizard.
    pub token_grace_days: i64,
    pub registration_code_ttl_seconds: i64,
    pub login_code_ttl_seconds: i64,
    /// Origins (scheme://host[:port]) a citizen may be sent back to after login.
    pub allowed_return_origins: Vec<String>,
    /// Idle timeout of a logged-in session.
    pub session_idle_seconds: i64,
    /// Absolute lifetime of a logged-in session.
    pub session_absolute_seconds: i64,
    /// Path prefix every link, form action and redirect carries: the API stage on API Gateway's
    /// default URL (`/prod`), or a custom domain's base path; empty at a host's root.
    pub base_path: String,
    /// Citizens reach the service over https: cookies are `Secure` and HSTS is sent. Only the
    /// local runner and an emulator on loopback serve plain http.
    pub https: bool,
    /// Failed password checks one client address may cause per hour (over every username).
    pub ip_failures_per_hour: i64,
    /// Failed password checks the whole service takes per minute before each address gets only
    /// a few (`keys_domain::budget`).
    pub failures_per_minute: i64,
    /// How citizens reach the help desk (a phone number, an address, a web page): every mail and
    /// every page that sends a citizen to the help desk gives it.
    pub help_desk: String,
    /// How long an activation letter's code holds (`ACTIVATION_LETTER_DAYS`, 30 by default).
    pub activation_letter_days: i64,
    /// The service's public address (`PUBLIC_URL`, else `OIDC_ISSUER`): the start of the link an
    /// activation letter mails. Never taken from a request's `Host`.
    pub public_url: Option<String>,
}

/// A setting that could not be understood; the service refuses to start with it.
#[derive(Debug, thiserror::Error)]
#[error("setting {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

impl Settings {
    /// The end of the grace window after the sunset (the sunset itself when there is none).
    pub fn token_grace_until(&self) -> OffsetDateTime {
        self.token_sunset_at + Duration::days(self.token_grace_days)
    }

    /// Whether `now` is in the grace window: past the sunset, before its end.
    pub fn in_token_grace(&self, now: OffsetDateTime) -> bool {
        now >= self.token_sunset_at && now < self.token_grace_until()
    }

    /// Reads the process environment.
    pub fn from_env(runner: Runner, now: OffsetDateTime) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok(), runner, now)
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        runner: Runner,
        now: OffsetDateTime,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let local = runner == Runner::Local;

        let token_sunset_at = match get("TOKEN_SUNSET_AT") {
            Some(text) => {
                OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|e| ConfigError {
                    name: "TOKEN_SUNSET_AT",
                    problem: format!("not an RFC 3339 instant ({e})"),
                })?
            }
            None if local => now + Duration::days(60),
            None => {
                return Err(ConfigError {
                    name: "TOKEN_SUNSET_AT",
                    problem: "required (an RFC 3339 instant)".into(),
                });
            }
        };
        let allowed_return_origins = get("ALLOWED_RETURN_ORIGINS")
            .map(|list| {
                list.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_string())
                    .filter(|o| !o.is_empty())
                    .collect()
            })
            .unwrap_or_default();

        let help_desk = match get("HELP_DESK_CONTACT") {
            Some(contact) => contact.trim().to_string(),
            None if local => "02 000 00 00 (local runner)".into(),
            None => {
                return Err(ConfigError {
                    name: "HELP_DESK_CONTACT",
                    problem: "required (how citizens reach the help desk)".into(),
                });
            }
        };
        let base_path = base_path(get("BASE_PATH"))?;
        let https = match get("PUBLIC_SCHEME").as_deref() {
            None => !local,
            Some("https") => true,
            Some("http") => false,
            Some(other) => {
                return Err(bad(
                    "PUBLIC_SCHEME",
                    format!("'{other}' is not https or http"),
                ));
            }
        };

        let grace_days = match get("TOKEN_GRACE_DAYS") {
            None => 0,
            Some(text) => match text.trim().parse::<i64>() {
                Ok(days) if (0..=90).contains(&days) => days,
                _ => {
                    return Err(bad(
                        "TOKEN_GRACE_DAYS",
                        format!("'{text}' is not a number of days from 0 to 90"),
                    ));
                }
            },
        };
        Ok(Self {
            token_sunset_at,
            token_grace_days: grace_days,
            registration_code_ttl_seconds: positive(&get, "REGISTRATION_CODE_TTL_SECONDS", 300)?,
            login_code_ttl_seconds: positive(&get, "LOGIN_CODE_TTL_SECONDS", 300)?,
            allowed_return_origins,
            session_idle_seconds: positive(&get, "SESSION_IDLE_SECONDS", 30 * 60)?,
            session_absolute_seconds: positive(&get, "SESSION_ABSOLUTE_SECONDS", 12 * 3600)?,
            base_path,
            https,
            ip_failures_per_hour: positive(&get, "IP_FAILURES_PER_HOUR", 100)?,
            failures_per_minute: positive(&get, "FAILURES_PER_MINUTE", 6000)?,
            help_desk,
            activation_letter_days: days(&get, "ACTIVATION_LETTER_DAYS", 30, 1..=365)?,
            public_url: get("PUBLIC_URL")
                .or_else(|| get("OIDC_ISSUER"))
                .map(|url| url.trim().trim_end_matches('/').to_string()),
        })
    }
}

/// A number of days within `range`, `default` when unset.
fn days(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(text) => match text.trim().parse::<i64>() {
            Ok(days) if range.contains(&days) => Ok(days),
            _ => Err(bad(
                name,
                format!(
                    "'{text}' is not a number of days from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

/// `BASE_PATH`: empty, or `/` followed by path segments of URL-safe characters, no trailing slash.
fn base_path(text: Option<String>) -> Result<String, ConfigError> {
    let Some(text) = text else {
        return Ok(String::new());
    };
    let trimmed = text.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let segments_ok = trimmed.strip_prefix('/').is_some_and(|rest| {
        rest.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        })
    });
    if !segments_ok {
        return Err(bad(
            "BASE_PATH",
            format!("'{text}' is not a path like /prod or /keys/v1"),
        ));
    }
    Ok(trimmed.to_string())
}

/// The error for setting `name` and what is wrong with it.
pub fn bad(name: &'static str, problem: String) -> ConfigError {
    ConfigError { name, problem }
}

/// Setting `name` as a number, `default` when it is not set.
pub fn number<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse()
            .map_err(|_| bad(name, format!("'{text}' is not a number"))),
    }
}

fn positive(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
) -> Result<i64, ConfigError> {
    let value = number(get, name, default)?;
    if value <= 0 {
        return Err(bad(name, "must be greater than zero".into()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn read(pairs: &[(&str, &str)], runner: Runner) -> Result<Settings, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(
            |name| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            },
            runner,
            datetime!(2026-11-22 12:00 UTC),
        )
    }

    #[test]
    fn local_defaults_follow_the_design() {
        let s = read(&[], Runner::Local).expect("defaults");
        assert_eq!(s.token_sunset_at, datetime!(2027-01-21 12:00 UTC));
        assert_eq!(s.registration_code_ttl_seconds, 300);
        assert_eq!(s.login_code_ttl_seconds, 300);
    }

    #[test]
    fn a_grace_window_is_a_few_days_after_the_sunset() {
        let s = read(&[("TOKEN_GRACE_DAYS", "14")], Runner::Local).expect("grace");
        assert_eq!(s.token_grace_until(), datetime!(2027-02-04 12:00 UTC));
        assert!(
            !s.in_token_grace(datetime!(2027-01-21 11:59 UTC)),
            "before the sunset"
        );
        assert!(s.in_token_grace(datetime!(2027-01-21 12:00 UTC)));
        assert!(!s.in_token_grace(datetime!(2027-02-04 12:00 UTC)), "over");
        for bad in ["-1", "91", "two weeks"] {
            let err = read(&[("TOKEN_GRACE_DAYS", bad)], Runner::Local).expect_err(bad);
            assert_eq!(err.name, "TOKEN_GRACE_DAYS");
        }
    }

    #[test]
    fn lambda_requires_a_sunset() {
        let err = read(&[], Runner::Lambda).expect_err("no sunset");
        assert_eq!(err.name, "TOKEN_SUNSET_AT");
        let err = read(
            &[("TOKEN_SUNSET_AT", "2027-03-01T00:00:00Z")],
            Runner::Lambda,
        )
        .expect_err("no help desk");
        assert_eq!(err.name, "HELP_DESK_CONTACT");
        let s = read(
            &[
                ("TOKEN_SUNSET_AT", "2027-03-01T00:00:00Z"),
                ("HELP_DESK_CONTACT", " 02 123 45 67 "),
            ],
            Runner::Lambda,
        )
        .expect("ok");
        assert_eq!(s.help_desk, "02 123 45 67");
        assert_eq!(s.token_sunset_at, datetime!(2027-03-01 00:00 UTC));
        assert_eq!(s.token_grace_days, 0, "no grace unless an operator sets it");
        assert!(!s.in_token_grace(datetime!(2027-03-01 00:00 UTC)));
    }

    #[test]
    fn nonsense_is_refused_by_name() {
        assert_eq!(
            read(&[("LOGIN_CODE_TTL_SECONDS", "0")], Runner::Local)
                .unwrap_err()
                .name,
            "LOGIN_CODE_TTL_SECONDS"
        );
        assert_eq!(
            read(&[("TOKEN_SUNSET_AT", "next year")], Runner::Local)
                .unwrap_err()
                .name,
            "TOKEN_SUNSET_AT"
        );
    }

    #[test]
    fn base_path_and_scheme_follow_where_the_service_is_published() {
        let local = read(&[], Runner::Local).expect("defaults");
        assert_eq!(local.base_path, "");
        assert!(
            !local.https,
            "the local runner serves plain http on loopback"
        );
        let lambda = read(
            &[
                ("TOKEN_SUNSET_AT", "2027-03-01T00:00:00Z"),
                ("HELP_DESK_CONTACT", "02 123 45 67"),
                ("BASE_PATH", "/prod/"),
            ],
            Runner::Lambda,
        )
        .expect("ok");
        assert_eq!(lambda.base_path, "/prod");
        assert!(lambda.https, "Lambda is published over https unless told");
        let emulator = read(
            &[
                ("TOKEN_SUNSET_AT", "2027-03-01T00:00:00Z"),
                ("HELP_DESK_CONTACT", "02 123 45 67"),
                ("PUBLIC_SCHEME", "http"),
                ("BASE_PATH", "/"),
            ],
            Runner::Lambda,
        )
        .expect("ok");
        assert!(!emulator.https);
        assert_eq!(emulator.base_path, "");
        for bad in ["prod", "/a//b", "/../x", "/a b", "/a?b"] {
            assert_eq!(
                read(&[("BASE_PATH", bad)], Runner::Local).unwrap_err().name,
                "BASE_PATH",
                "{bad}"
            );
        }
        assert_eq!(
            read(&[("PUBLIC_SCHEME", "ftp")], Runner::Local)
                .unwrap_err()
                .name,
            "PUBLIC_SCHEME"
        );
    }

    #[test]
    fn return_origins_are_a_trimmed_list() {
        let s = read(
            &[(
                "ALLOWED_RETURN_ORIGINS",
                "https://a.example/, https://b.example ,",
            )],
            Runner::Local,
        )
        .expect("ok");
        assert_eq!(
            s.allowed_return_origins,
            ["https://a.example", "https://b.example"]
        );
    }
}
