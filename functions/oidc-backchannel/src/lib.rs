//! Function `oidc-backchannel`: delivers back-channel logout tokens to the services a session logged into, from the table's stream.

use keys_core::permissions::Need;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = &[
    Need::LogoutNotices,
    Need::MasterSecret,
    Need::SignIdTokens,
    Need::LogoutDeadLetters,
];
