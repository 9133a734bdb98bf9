//! The index from an e-mail address to the citizens registered with it (a keyed hash of the address, never the address), kept in the writes that enrol a citizen or change an address; the forgotten-username step reads it.

use crate::app::App;
use crate::crypto::short_keyed_hash;
use crate::input::valid_address;
use crate::record::Record;
use crate::secrets::KeyPurpose;
use crate::store::{Item, StoreError, Write};

/// The partition of an address's index items: one item per citizen (sort key: the citizen key).
fn index_pk(app: &App, address: &str) -> String {
    let normalised = valid_address(address).unwrap_or_else(|| address.trim().to_lowercase());
    let hashed = short_keyed_hash(
        &app.secrets.key(KeyPurpose::ThrottleHash),
        "address",
        &normalised.to_lowercase(),
    );
    format!("address#{hashed}")
}

/// The write that lists the citizen `ck` under `address`.
pub fn listed(app: &App, address: &str, ck: &str) -> Write {
    Write::Put {
        item: Item::new(index_pk(app, address), ck),
        condition: None,
    }
}

/// The write that takes the citizen `ck` off `address`'s list.
pub fn unlisted(app: &App, address: &str, ck: &str) -> Write {
    Write::Delete {
        pk: index_pk(app, address),
        sk: ck.to_string(),
        condition: None,
    }
}

/// Whether two addresses share one list (the same address in other letter case).
pub fn same_list(app: &App, one: &str, other: &str) -> bool {
    index_pk(app, one) == index_pk(app, other)
}

/// The records of the citizens registered with `address` now (one query, then one read each;
/// a record whose address changed since is left out).
pub async fn citizens_with(app: &App, address: &str) -> Result<Vec<Record>, StoreError> {
    let listed = app.store.query(&index_pk(app, address), "").await?;
    let mut records = Vec::new();
    for item in listed {
        let record = Record::load(app, &item.sk).await?;
        let holds = record
            .s("email")
            .is_some_and(|email| same_list(app, email, address));
        if record.is_citizen() && holds {
            records.push(record);
        }
    }
    Ok(records)
}
