//! The `Signer` port (RS256 ID tokens) with the local adapter; the KMS adapter is `keys_aws::kms`.
//!
//! The signature is RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`, RFC 7518 §3.3), what KMS calls
//! `RSASSA_PKCS1_V1_5_SHA_256`. Keys are published as JWKs built by `jsonwebtoken`; tokens are
//! checked with `jsonwebtoken`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse,
    RSAKeyParameters, RSAKeyType, ThumbprintHash,
};
use jsonwebtoken::{Algorithm, DecodingKey, Header};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// Why a signature or a public key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    #[error("the signing service failed: {0}")]
    Unavailable(String),
    #[error("the key is not usable: {0}")]
    BadKey(String),
}

/// A public key as published: its id and its DER SubjectPublicKeyInfo (what KMS `GetPublicKey` gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: String,
    pub spki_der: Vec<u8>,
}

/// Signs ID tokens with RS256; the private key may never leave the adapter (KMS).
#[async_trait::async_trait]
pub trait Signer: Send + Sync {
    /// The `kid` of the key that signs now.
    fn key_id(&self) -> &str;

    /// RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError>;

    /// Every key to publish (the signing key first), for the JWKS and for checking tokens.
    async fn public_keys(&self) -> Result<Vec<PublicKey>, SignerError>;
}

/// The JWK of an RSA public key (use `sig`, alg `RS256`).
pub fn jwk(key: &PublicKey) -> Result<Jwk, SignerError> {
    let public = rsa::RsaPublicKey::from_public_key_der(&key.spki_der)
        .map_err(|e| SignerError::BadKey(e.to_string()))?;
    Ok(Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::RS256),
            key_id: Some(key.kid.clone()),
            ..Default::default()
        },
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }),
    })
}

/// The JWK set of every published key.
pub async fn jwks(signer: &dyn Signer) -> Result<JwkSet, SignerError> {
    let keys = signer.public_keys().await?;
    Ok(JwkSet {
        keys: keys.iter().map(jwk).collect::<Result<_, _>>()?,
    })
}

/// A signed JWT (JWS compact serialisation, RFC 7515 §7.1) of `claims`, header `alg` RS256, `typ`
/// JWT and the signing key's `kid`. The signature comes from the signer (KMS signs the bytes
/// itself), so this assembles the three parts around it; `jsonwebtoken::decode` checks the result
/// in this module's tests.
pub async fn sign_jwt<T: Serialize>(
    signer: &dyn Signer,
    claims: &T,
) -> Result<String, SignerError> {
    sign_jwt_typed(signer, "JWT", claims).await
}

/// [`sign_jwt`] with another `typ` header (`logout+jwt` for a logout token).
pub async fn sign_jwt_typed<T: Serialize>(
    signer: &dyn Signer,
    typ: &str,
    claims: &T,
) -> Result<String, SignerError> {
    let mut header = Header::new(Algorithm::RS256);
    header.typ = Some(typ.into());
    header.kid = Some(signer.key_id().to_string());
    let part = |value: Result<Vec<u8>, serde_json::Error>| {
        value
            .map(|bytes| URL_SAFE_NO_PAD.encode(bytes))
            .map_err(|e| SignerError::BadKey(e.to_string()))
    };
    let input = format!(
        "{}.{}",
        part(serde_json::to_vec(&header))?,
        part(serde_json::to_vec(claims))?
    );
    let signature = signer.sign(input.as_bytes()).await?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The key that verifies a token signed by `kid`, among the published keys.
pub async fn decoding_key(
    signer: &dyn Signer,
    kid: &str,
) -> Result<Option<DecodingKey>, SignerError> {
    let keys = signer.public_keys().await?;
    let Some(key) = keys.iter().find(|k| k.kid == kid) else {
        return Ok(None);
    };
    let public = rsa::RsaPublicKey::from_public_key_der(&key.spki_der)
        .map_err(|e| SignerError::BadKey(e.to_string()))?;
    Ok(Some(DecodingKey::from_rsa_raw_components(
        &public.n().to_bytes_be(),
        &public.e().to_bytes_be(),
    )))
}

/// An RSA-2048 key held in this process: the local runner's signer.
pub struct LocalSigner {
    signing: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    public: PublicKey,
}

impl LocalSigner {
    /// The signer of a PKCS#8 PEM RSA private key (`OIDC_LOCAL_SIGNING_KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, SignerError> {
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(pem.trim())
            .map_err(|e| SignerError::BadKey(e.to_string()))?;
        Self::from_key(key)
    }

    /// A signer with a new RSA-2048 key.
    pub fn generate() -> Result<Self, SignerError> {
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
            .map_err(|e| SignerError::BadKey(e.to_string()))?;
        Self::from_key(key)
    }

    /// One generated key for the whole process (the local runner and every test service in it).
    pub fn shared() -> Result<Arc<LocalSigner>, SignerError> {
        static SHARED: OnceLock<Arc<LocalSigner>> = OnceLock::new();
        if let Some(signer) = SHARED.get() {
            return Ok(signer.clone());
        }
        let made = Arc::new(Self::generate()?);
        Ok(SHARED.get_or_init(|| made).clone())
    }

    fn from_key(key: rsa::RsaPrivateKey) -> Result<Self, SignerError> {
        let spki_der = key
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| SignerError::BadKey(e.to_string()))?
            .as_bytes()
            .to_vec();
        // The key id is the key's RFC 7638 thumbprint.
        let unnamed = PublicKey {
            kid: String::new(),
            spki_der: spki_der.clone(),
        };
        let kid = jwk(&unnamed)?
            .thumbprint(ThumbprintHash::SHA256)
            .map_err(|e| SignerError::BadKey(e.to_string()))?;
        Ok(Self {
            signing: rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key),
            public: PublicKey { kid, spki_der },
        })
    }

    /// The private key as PKCS#8 PEM (to keep a generated key as `OIDC_LOCAL_SIGNING_KEY`).
    pub fn to_pem(&self) -> Result<String, SignerError> {
        use rsa::pkcs8::LineEnding;
        let key: &rsa::RsaPrivateKey = self.signing.as_ref();
        key.to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| SignerError::BadKey(e.to_string()))
    }
}

#[async_trait::async_trait]
impl Signer for LocalSigner {
    fn key_id(&self) -> &str {
        &self.public.kid
    }

    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        use rsa::signature::{SignatureEncoding, Signer as _};
        Ok(self.signing.sign(message).to_vec())
    }

    async fn public_keys(&self) -> Result<Vec<PublicKey>, SignerError> {
        Ok(vec![self.public.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Validation, decode, decode_header};

    #[tokio::test]
    async fn a_signed_jwt_verifies_with_the_published_jwk_and_not_when_altered() {
        let signer = LocalSigner::shared().expect("key");
        let claims = serde_json::json!({ "sub": "abc", "aud": "client", "exp": 4_000_000_000u64 });
        let token = sign_jwt(signer.as_ref(), &claims).await.expect("signed");
        let header = decode_header(&token).expect("header");
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.kid.as_deref(), Some(signer.key_id()));
        let set = jwks(signer.as_ref()).await.expect("jwks");
        let jwk = set.find(signer.key_id()).expect("published");
        let key = DecodingKey::from_jwk(jwk).expect("key from jwk");
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&["client"]);
        let data = decode::<serde_json::Value>(&token, &key, &validation).expect("verifies");
        assert_eq!(data.claims["sub"], "abc");
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"evil","aud":"client","exp":4000000000}"#);
        assert!(decode::<serde_json::Value>(&parts.join("."), &key, &validation).is_err());
    }

    #[tokio::test]
    async fn a_key_survives_pem_and_keeps_its_thumbprint() {
        let signer = LocalSigner::shared().expect("key");
        let again = LocalSigner::from_pem(&signer.to_pem().expect("pem")).expect("parses");
        assert_eq!(again.key_id(), signer.key_id());
        assert_eq!(signer.key_id().len(), 43, "SHA-256 thumbprint, base64url");
        assert!(LocalSigner::from_pem("not a key").is_err());
    }
}
