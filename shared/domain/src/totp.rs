//! The mobile-app key: RFC 6238 TOTP (SHA-1, 6 digits, 30 s), a 160-bit secret sealed with AES-GCM.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use data_encoding::BASE32_NOPAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rand::{RngCore, rngs::OsRng};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Bytes of secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// The issuer authenticator apps show next to the account.
pub const ISSUER: &str = "Digital keys";
/// Steps accepted before the current one (one: a code lives 30 to 60 seconds); none after.
pub const SKEW_STEPS: u64 = 1;
const NONCE_BYTES: usize = 12;
/// What is escaped in the URI's label and issuer: all but unreserved characters.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A TOTP secret. Its `Debug` hides it, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(Vec<u8>);

impl std::fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppSecret(hidden)")
    }
}

/// A sealed secret could not be opened (wrong key, wrong citizen, or damaged).
#[derive(Debug, thiserror::Error)]
#[error("the app key's secret cannot be opened")]
pub struct Unsealable;

impl AppSecret {
    /// A new secret from the OS CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        OsRng.fill_bytes(&mut bytes);
        AppSecret(bytes)
    }

    /// A secret from its bytes (test vectors, unsealing).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        AppSecret(bytes)
    }

    /// The secret in base32 without padding, as authenticator apps take it.
    pub fn base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// The base32 secret in groups of four, for typing by hand.
    pub fn grouped(&self) -> String {
        self.base32()
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://` URI that authenticator apps read from the QR code.
    pub fn otpauth_uri(&self, account: &str) -> String {
        let issuer = utf8_percent_encode(ISSUER, LABEL).to_string();
        let account = utf8_percent_encode(account, LABEL).to_string();
        format!(
            "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            self.base32()
        )
    }

    /// The QR code of the otpauth URI as an SVG element to put in a page.
    pub fn qr_svg(&self, account: &str) -> Result<String, qrcode::types::QrError> {
        let code = qrcode::QrCode::with_error_correction_level(
            self.otpauth_uri(account).as_bytes(),
            qrcode::EcLevel::M,
        )?;
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build();
        // The renderer writes a standalone document; a page wants the <svg> element alone.
        Ok(match svg.find("<svg") {
            Some(start) => svg[start..].to_string(),
            None => svg,
        })
    }

    fn totp(&self) -> Option<TOTP> {
        TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, self.0.clone()).ok()
    }

    /// The code of time step `step`.
    pub fn code_at_step(&self, step: u64) -> String {
        self.totp()
            .map(|totp| totp.generate(step * STEP_SECONDS))
            .unwrap_or_default()
    }

    /// The time step `code` belongs to, if it is the code of the current step at `now` (epoch
    /// seconds) or of the steps just before (a code typed as it changed, a phone a little
    /// behind). Never a step in the future: a code accepted early would block the current one
    /// (each step is used once). Compared in constant time.
    pub fn matching_step(&self, code: &str, now: u64) -> Option<u64> {
        let code = code.trim();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = now / STEP_SECONDS;
        let mut found = None;
        for step in current.saturating_sub(SKEW_STEPS)..=current {
            let expected = self.code_at_step(step);
            if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
                found = Some(step);
            }
        }
        found
    }

    /// The secret encrypted with AES-256-GCM under `key`, bound to the citizen.
    pub fn seal(&self, key: &[u8; 32], citizen_id: &str) -> String {
        let cipher = Aes256Gcm::new(key.into());
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let bound = aad(citizen_id);
        let payload = Payload {
            msg: &self.0,
            aad: bound.as_bytes(),
        };
        match cipher.encrypt(Nonce::from_slice(&nonce), payload) {
            Ok(sealed) => {
                let mut out = nonce.to_vec();
                out.extend_from_slice(&sealed);
                URL_SAFE_NO_PAD.encode(out)
            }
            // AES-GCM only fails for messages of many gigabytes; 20 bytes never do.
            Err(_) => String::new(),
        }
    }

    /// Opens a secret sealed by [`AppSecret::seal`] for the same citizen.
    pub fn unseal(sealed: &str, key: &[u8; 32], citizen_id: &str) -> Result<Self, Unsealable> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| Unsealable)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(Unsealable);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let cipher = Aes256Gcm::new(key.into());
        let bound = aad(citizen_id);
        let payload = Payload {
            msg: sealed,
            aad: bound.as_bytes(),
        };
        cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map(AppSecret)
            .map_err(|_| Unsealable)
    }
}

fn aad(citizen_id: &str) -> String {
    format!("app-key/{citizen_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, cut to 6 digits (the last six of the 8-digit values).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = AppSecret::from_bytes(b"12345678901234567890".to_vec());
        for (time, code) in [
            (59u64, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(secret.code_at_step(time / STEP_SECONDS), code, "T = {time}");
            assert_eq!(secret.matching_step(code, time), Some(time / STEP_SECONDS));
        }
    }

    #[test]
    fn a_code_is_accepted_for_its_step_and_the_one_before_never_ahead() {
        let secret = AppSecret::generate();
        let now = 1_795_341_600u64;
        let step = now / STEP_SECONDS;
        for offset in [-1i64, 0] {
            let s = (step as i64 + offset) as u64;
            assert_eq!(secret.matching_step(&secret.code_at_step(s), now), Some(s));
        }
        for offset in [-10i64, -2, 1, 2] {
            let s = (step as i64 + offset) as u64;
            let code = secret.code_at_step(s);
            let near: Vec<String> = (step - 1..=step).map(|n| secret.code_at_step(n)).collect();
            if !near.contains(&code) {
                assert_eq!(secret.matching_step(&code, now), None, "offset {offset}");
            }
        }
        assert_eq!(secret.matching_step("12345", now), None);
        assert_eq!(secret.matching_step("abcdef", now), None);
    }

    #[test]
    fn sealing_hides_the_secret_and_binds_it_to_the_citizen() {
        let secret = AppSecret::generate();
        let key = [7u8; 32];
        let sealed = secret.seal(&key, "c1");
        assert!(!sealed.contains(&secret.base32()));
        assert_eq!(
            AppSecret::unseal(&sealed, &key, "c1").ok(),
            Some(secret.clone())
        );
        assert!(AppSecret::unseal(&sealed, &key, "c2").is_err());
        assert!(AppSecret::unseal(&sealed, &[8u8; 32], "c1").is_err());
        assert_ne!(sealed, secret.seal(&key, "c1"), "a fresh nonce every time");
        assert_eq!(format!("{secret:?}"), "AppSecret(hidden)");
    }

    #[test]
    fn the_uri_has_issuer_account_and_parameters() {
        let secret = AppSecret::from_bytes(b"12345678901234567890".to_vec());
        assert_eq!(
            secret.otpauth_uri("jan.peeters"),
            "otpauth://totp/Digital%20keys:jan.peeters?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Digital%20keys&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(secret.grouped().split(' ').count(), 8);
        let svg = secret.qr_svg("jan").expect("QR");
        assert!(svg.starts_with("<svg"));
    }
}
