//! What the keys-admin tests share: rows and files to import, a fast legacy password hash, the built binary, and the AWS emulator.

#![allow(dead_code)]

pub mod emulator;

use keys_domain::App;
use keys_domain::store::{Condition, Item, Store, StoreError, Write};
use rand::Rng;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// One citizen as an import file gives it.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub email: String,
    pub lang: String,
    pub card_serial: String,
    pub codes: Vec<String>,
}

/// An argon2id PHC string with tiny parameters: recognised (as a legacy argon2id), and cheap to
/// make in a debug build. Hashing each row is not what these tests are about.
pub fn cheap_hash(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(64, 1, 1, None).expect("params");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(
            password.as_bytes(),
            &SaltString::generate(&mut rand::rngs::OsRng),
        )
        .expect("hash")
        .to_string()
}

/// Row number `n` with random card codes (from 900000 up: no number a report prints, such as a
/// row's id `c-000012` or a count, can be mistaken for one).
pub fn row(n: usize, password_hash: &str) -> Row {
    let mut rng = rand::thread_rng();
    Row {
        id: format!("c-{n:06}"),
        username: format!("citizen.{n}"),
        password_hash: password_hash.to_string(),
        email: format!("citizen.{n}@example.be"),
        lang: ["nl", "fr", "de", "en"][n % 4].to_string(),
        card_serial: format!("TK-{n:08}"),
        codes: (0..24)
            .map(|_| format!("{:06}", rng.gen_range(900_000..1_000_000)))
            .collect(),
    }
}

/// The CSV header: the six columns and code1..code24.
pub fn csv_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "id",
        "username",
        "password_hash",
        "email",
        "lang",
        "card_serial",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend((1..=24).map(|n| format!("code{n}")));
    header
}

/// A row as one CSV line (quoted by the csv crate as needed), without its newline.
pub fn csv_line(row: &Row) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut fields = vec![
        row.id.clone(),
        row.username.clone(),
        row.password_hash.clone(),
        row.email.clone(),
        row.lang.clone(),
        row.card_serial.clone(),
    ];
    fields.extend(row.codes.iter().cloned());
    writer.write_record(&fields).expect("csv");
    let bytes = writer.into_inner().expect("csv");
    String::from_utf8(bytes)
        .expect("utf-8")
        .trim_end_matches('\n')
        .to_string()
}

/// A row as one JSON line.
pub fn json_line(row: &Row) -> String {
    serde_json::json!({
        "id": row.id,
        "username": row.username,
        "password_hash": row.password_hash,
        "email": row.email,
        "lang": row.lang,
        "card_serial": row.card_serial,
        "codes": row.codes,
    })
    .to_string()
}

/// A CSV file: the header, then these lines (each a row's line or something broken).
pub fn write_csv(path: &Path, lines: &[String]) {
    let mut text = csv_header().join(",");
    text.push('\n');
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).expect("write the file");
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "keys-admin-{name}-{}-{}",
        std::process::id(),
        rand::thread_rng().gen_range(0..u32::MAX)
    ));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The rejects file as (line, id, reason) triples.
pub fn rejects(path: &Path) -> Vec<(u64, String, String)> {
    let mut reader = csv::Reader::from_path(path).expect("rejects file");
    reader
        .records()
        .map(|record| {
            let record = record.expect("a rejects record");
            (
                record[0].parse().expect("a line number"),
                record[1].to_string(),
                record[2].to_string(),
            )
        })
        .collect()
}

/// Whether the citizen of `row` is there whole: profile, active token, and its card's codes.
/// `Some(false)` is a half-written citizen, which must never be seen.
pub async fn state_of(app: &App, row: &Row) -> Option<bool> {
    use keys_domain::citizens::{self};
    use keys_domain::keys::{KeyKind, KeyState};
    let citizen = citizens::citizen(app, &row.id).await.expect("read");
    let keys = citizens::keys(app, &row.id).await.expect("read");
    let card = match citizens::record_of(app, &row.id).await.expect("read") {
        Some(record) => {
            keys_domain::methods::token::card_code_matches(app, &record, 7, &row.codes[6])
        }
        None => false,
    };
    match (citizen, keys.as_slice(), card) {
        (None, [], false) => None,
        (Some(citizen), [token], true) => Some(
            citizen.username == row.username
                && token.kind == KeyKind::Token
                && token.state == KeyState::Active,
        ),
        _ => Some(false),
    }
}

/// The built binary.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_keys-admin")
}

/// A store that answers `Unavailable` to some transactions (throttling), or asks the import to
/// stop after so many of them (an operator's Ctrl-C), around the memory store (imports and
/// reminders).
pub struct Flaky {
    pub inner: Arc<dyn Store>,
    pub transactions: AtomicUsize,
    /// Every `n`th citizen's transaction is throttled twice before it goes through.
    pub throttle_every: Option<u64>,
    pub throttled: std::sync::Mutex<std::collections::HashMap<String, u32>>,
    pub stop_after: Option<(usize, Arc<AtomicBool>)>,
}

impl Flaky {
    pub fn around(app: &App) -> Self {
        Self {
            inner: app.store.clone(),
            transactions: AtomicUsize::new(0),
            throttle_every: None,
            throttled: Default::default(),
            stop_after: None,
        }
    }
}

#[async_trait::async_trait]
impl Store for Flaky {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.inner.get(pk, sk).await
    }
    async fn query(&self, pk: &str, sk_prefix: &str) -> Result<Vec<Item>, StoreError> {
        self.inner.query(pk, sk_prefix).await
    }
    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StoreError> {
        self.inner.put(item, condition).await
    }
    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        self.inner.delete(pk, sk, condition).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let n = self.transactions.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(every) = self.throttle_every {
            use std::hash::{Hash, Hasher};
            let (pk, sk) = writes[0].key();
            let key = format!("{pk} {sk}");
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            key.hash(&mut hasher);
            let mut throttled = self.throttled.lock().expect("lock");
            let times = throttled.entry(key).or_default();
            if hasher.finish().is_multiple_of(every) && *times < 2 {
                *times += 1;
                return Err(StoreError::Unavailable("ThrottlingException".into()));
            }
        }
        if let Some((after, stop)) = &self.stop_after
            && n == *after
        {
            stop.store(true, Ordering::SeqCst);
        }
        // Let other lanes run between transactions, as a network store would.
        tokio::task::yield_now().await;
        self.inner.transact(writes).await
    }
    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: keys_domain::store::Change,
        condition: Option<Condition>,
    ) -> Result<keys_domain::store::Updated, StoreError> {
        self.inner.update(pk, sk, change, condition).await
    }
    async fn increment(
        &self,
        pk: &str,
        sk: &str,
        attr: &str,
        expires_at: i64,
    ) -> Result<i64, StoreError> {
        self.inner.increment(pk, sk, attr, expires_at).await
    }
}
