//! `keys-admin holders`: who still holds an active token, for the letters an operator sends (id, name, language, card serial; never an address or a secret), counted by language.

use keys_domain::app::App;
use keys_domain::keys::KeyKind;
use keys_domain::progress;
use keys_domain::record::Record;
use keys_domain::store::StoreError;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HoldersSummary {
    /// Citizens written, by language.
    pub by_lang: BTreeMap<String, usize>,
    pub written: usize,
    /// Listed in the index but no longer holding an active token (skipped).
    pub no_token: usize,
}

impl HoldersSummary {
    pub fn text(&self) -> String {
        let by_lang: Vec<String> = self
            .by_lang
            .iter()
            .map(|(lang, n)| format!("{lang} {n}"))
            .collect();
        format!(
            "{} token holder(s) written ({}); {} listed without an active token skipped\n",
            self.written,
            if by_lang.is_empty() {
                "none".to_string()
            } else {
                by_lang.join(", ")
            },
            self.no_token
        )
    }
}

/// Writes every citizen whose token is still active as a CSV row `id,name,lang,card_serial`
/// (after a header), reading the token holders' index shard by shard (one query a shard and one
/// read a holder).
pub async fn export(app: &App, out: impl std::io::Write) -> Result<HoldersSummary, ExportError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["id", "name", "lang", "card_serial"])?;
    let mut summary = HoldersSummary::default();
    for shard in 0..progress::SHARDS {
        for ck in progress::holders_in_shard(app, shard).await? {
            let record = Record::load(app, &ck).await?;
            let Some(citizen) = record.citizen() else {
                summary.no_token += 1;
                continue;
            };
            if !record.key_active(KeyKind::Token) {
                summary.no_token += 1;
                continue;
            }
            writer.write_record([
                citizen.id.as_str(),
                citizen.name.as_deref().unwrap_or_default(),
                citizen.lang.code(),
                record.s("card_serial").unwrap_or_default(),
            ])?;
            summary.written += 1;
            *summary
                .by_lang
                .entry(citizen.lang.code().to_string())
                .or_default() += 1;
        }
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(summary)
}

/// Why the export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] csv::Error),
}
