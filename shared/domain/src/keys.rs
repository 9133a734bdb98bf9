//! The kinds of digital key, their states and a citizen's key as the record keeps it: the plain types every flow, key method and page shares.

use serde::{Deserialize, Serialize};

/// How many numbered codes a token card has.
pub const CARD_SIZE: u8 = 24;

/// A kind of digital key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Token,
    Email,
    App,
}

impl KeyKind {
    pub const ALL: [KeyKind; 3] = [KeyKind::Token, KeyKind::Email, KeyKind::App];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Token => "token",
            KeyKind::Email => "email",
            KeyKind::App => "app",
        }
    }

    pub fn parse(text: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The record attribute that holds the key's state.
    pub fn attr(self) -> String {
        format!("key_{}", self.as_str())
    }
}

/// Whether a key can be used to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    Active,
    Inactive,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Active => "active",
            KeyState::Inactive => "inactive",
        }
    }
}

/// A citizen's key and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub kind: KeyKind,
    pub state: KeyState,
    /// Epoch seconds.
    pub activated_at: Option<i64>,
    pub deactivated_at: Option<i64>,
}

/// The keyed hash context of a token card's code `number` for the citizen `citizen_id`.
pub fn card_code_context(citizen_id: &str, number: u8) -> String {
    format!("token-card/{citizen_id}/{number}")
}
