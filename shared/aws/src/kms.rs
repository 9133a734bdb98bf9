//! The `Signer` of ID tokens over AWS KMS: an asymmetric RSA_2048 key whose private half never leaves KMS.

use aws_sdk_kms::error::DisplayErrorContext;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{MessageType, SigningAlgorithmSpec};
use keys_oidc::signer::{PublicKey, Signer, SignerError};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// The longest message KMS `Sign` takes as it is (`MessageType::Raw`).
const RAW_LIMIT: usize = 4096;

/// Signs with the first of its KMS keys (`kms:Sign`) and publishes them all (`kms:GetPublicKey`,
/// read once per instance). Each key's `kid` is its KMS key id.
pub struct KmsSigner {
    client: aws_sdk_kms::Client,
    signing: String,
    key_ids: Vec<String>,
    public: OnceCell<Vec<PublicKey>>,
}

impl KmsSigner {
    /// A signer over `key_ids` (the first signs); none is a setting error.
    pub fn new(client: aws_sdk_kms::Client, key_ids: Vec<String>) -> Result<Self, SignerError> {
        let signing = key_ids
            .first()
            .cloned()
            .ok_or_else(|| SignerError::BadKey("OIDC_SIGNING_KEY_IDS names no KMS key".into()))?;
        Ok(Self {
            client,
            signing,
            key_ids,
            public: OnceCell::new(),
        })
    }
}

#[async_trait::async_trait]
impl Signer for KmsSigner {
    fn key_id(&self) -> &str {
        &self.signing
    }

    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        // KMS hashes a message of up to 4 KiB itself (an ID token is well under 1 KiB); a longer
        // one is sent as its SHA-256 digest.
        let (bytes, kind) = if message.len() <= RAW_LIMIT {
            (message.to_vec(), MessageType::Raw)
        } else {
            (Sha256::digest(message).to_vec(), MessageType::Digest)
        };
        let answer = self
            .client
            .sign()
            .key_id(&self.signing)
            .message(Blob::new(bytes))
            .message_type(kind)
            .signing_algorithm(SigningAlgorithmSpec::RsassaPkcs1V15Sha256)
            .send()
            .await
            .map_err(|e| SignerError::Unavailable(DisplayErrorContext(e).to_string()))?;
        answer
            .signature()
            .map(|s| s.as_ref().to_vec())
            .ok_or_else(|| SignerError::Unavailable("KMS answered no signature".into()))
    }

    async fn public_keys(&self) -> Result<Vec<PublicKey>, SignerError> {
        self.public
            .get_or_try_init(|| async {
                let mut keys = Vec::new();
                for id in &self.key_ids {
                    let answer = self
                        .client
                        .get_public_key()
                        .key_id(id)
                        .send()
                        .await
                        .map_err(|e| {
                            SignerError::Unavailable(DisplayErrorContext(e).to_string())
                        })?;
                    let der = answer
                        .public_key()
                        .map(|k| k.as_ref().to_vec())
                        .ok_or_else(|| {
                            SignerError::BadKey(format!("KMS key {id} has no public key"))
                        })?;
                    keys.push(PublicKey {
                        kid: id.clone(),
                        spki_der: der,
                    });
                }
                Ok(keys)
            })
            .await
            .cloned()
    }
}

/// The signer the settings name: KMS over `OIDC_SIGNING_KEY_IDS` with the environment's AWS
/// settings, or a local key (`OIDC_LOCAL_SIGNING_KEY`; the local runner may make one up, a Lambda
/// may not: every instance must sign with the same key).
pub async fn signer_from_settings(
    settings: &keys_oidc::OidcSettings,
    runner: keys_domain::config::Runner,
) -> Result<std::sync::Arc<dyn Signer>, SignerError> {
    use keys_oidc::settings::SignerKind;
    use keys_oidc::signer::LocalSigner;
    match (settings.signer, &settings.local_signing_key) {
        (SignerKind::Kms, _) => {
            let aws = crate::sdk::from_env().await;
            Ok(std::sync::Arc::new(KmsSigner::new(
                aws_sdk_kms::Client::new(&aws),
                settings.signing_key_ids.clone(),
            )?))
        }
        (SignerKind::Local, Some(pem)) => Ok(std::sync::Arc::new(LocalSigner::from_pem(pem)?)),
        (SignerKind::Local, None) if runner == keys_domain::config::Runner::Local => {
            Ok(LocalSigner::shared()?)
        }
        (SignerKind::Local, None) => Err(SignerError::BadKey(
            "OIDC_SIGNER=local in Lambda needs OIDC_LOCAL_SIGNING_KEY".into(),
        )),
    }
}
