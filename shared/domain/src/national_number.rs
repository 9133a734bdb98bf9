//! The national register number: checked (11 digits and their check number), kept only as a keyed hash on the record and in an index that finds its citizen (for an office, later eID and itsme); the number itself is never stored or logged.

use crate::app::App;
use crate::crypto::keyed_hash;
use crate::record::Record;
use crate::secrets::KeyPurpose;
use crate::store::{Condition, Item, StoreError, Write};

/// The record attribute that holds the number's keyed hash.
pub const ATTR: &str = "nrn";

/// A national register number that passed its check, digits only; it never leaves this type as
/// text but through its keyed hash.
#[derive(Clone, PartialEq, Eq)]
pub struct NationalNumber(String);

impl std::fmt::Debug for NationalNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NationalNumber(…)")
    }
}

impl NationalNumber {
    /// Reads a number as people write it (`85.07.30-033.28`, spaces or dots or dashes between the
    /// digits): 11 digits whose last two are 97 minus the first nine modulo 97 (with a `2` before
    /// them for those born from 2000).
    pub fn parse(text: &str) -> Option<NationalNumber> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let base: u64 = digits[..9].parse().ok()?;
        let check: u64 = digits[9..].parse().ok()?;
        let before_2000 = 97 - base % 97;
        let from_2000 = 97 - (2_000_000_000 + base) % 97;
        (check == before_2000 || check == from_2000).then_some(NationalNumber(digits))
    }

    /// The keyed hash the service keeps instead of the number.
    pub fn hashed(&self, app: &App) -> String {
        keyed_hash(
            &app.secrets.key(KeyPurpose::IdentityHash),
            "national-register-number",
            &self.0,
        )
    }
}

fn index_pk(hash: &str) -> String {
    format!("nrn#{hash}")
}

/// The writes that keep `number` for the citizen `ck`: its hash on the record (set by the
/// caller with [`ATTR`]) and the index item that finds the citizen, on condition no other
/// citizen holds the number.
pub fn listed(app: &App, number: &NationalNumber, ck: &str) -> Write {
    Write::Put {
        item: Item::new(index_pk(&number.hashed(app)), "nrn").with_s("ck", ck),
        condition: Some(Condition::Absent),
    }
}

/// The index item that keeps `number` for a citizen enrolled at an office who has not chosen a
/// username yet (the pending enrolment `id`), on condition no one holds the number.
pub fn listed_for_enrolment(number_hash: &str, enrolment_id: &str) -> Write {
    Write::Put {
        item: Item::new(index_pk(number_hash), "nrn").with_s("enrolment", enrolment_id),
        condition: Some(Condition::Absent),
    }
}

/// The index item moved from a pending enrolment to the citizen's record `ck` (when the citizen
/// chose a username), on condition it still names that enrolment.
pub fn moved_to_citizen(number_hash: &str, enrolment_id: &str, ck: &str) -> Write {
    Write::Put {
        item: Item::new(index_pk(number_hash), "nrn").with_s("ck", ck),
        condition: Some(Condition::equals(
            "enrolment",
            crate::store::Value::S(enrolment_id.to_string()),
        )),
    }
}

/// Who holds a national register number.
#[derive(Debug)]
pub enum Holder {
    /// A citizen, by record.
    Citizen(Box<Record>),
    /// A citizen enrolled at an office who has not chosen a username yet, by enrolment id.
    Enrolment(String),
}

/// Who holds `number`, if anyone (one read of the index, one of the record for a citizen).
pub async fn holder(app: &App, number: &NationalNumber) -> Result<Option<Holder>, StoreError> {
    let hash = number.hashed(app);
    let Some(index) = app.store.get(&index_pk(&hash), "nrn").await? else {
        return Ok(None);
    };
    if let Some(id) = index.s("enrolment") {
        return Ok(Some(Holder::Enrolment(id.to_string())));
    }
    Ok(citizen_with(app, number)
        .await?
        .map(|record| Holder::Citizen(Box::new(record))))
}

/// The citizen's record the number is kept for, if any (one read of the index, one of the record).
pub async fn citizen_with(
    app: &App,
    number: &NationalNumber,
) -> Result<Option<Record>, StoreError> {
    let hash = number.hashed(app);
    let Some(index) = app.store.get(&index_pk(&hash), "nrn").await? else {
        return Ok(None);
    };
    let Some(ck) = index.s("ck") else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await?;
    Ok((record.is_citizen() && record.s(ATTR) == Some(hash.as_str())).then_some(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_by_their_check_number() {
        // 85.07.30-033 → 97 - (850730033 mod 97) = 28.
        assert!(NationalNumber::parse("85.07.30-033.28").is_some());
        assert!(NationalNumber::parse("85073003328").is_some());
        assert!(
            NationalNumber::parse("85073003329").is_none(),
            "a wrong check"
        );
        assert!(NationalNumber::parse("8507300332").is_none(), "ten digits");
        // Born in 2001: the check counts a 2 before the nine digits.
        let base = 10_203_004u64; // 01.02.03-004
        let check = 97 - (2_000_000_000 + base) % 97;
        assert!(NationalNumber::parse(&format!("{base:09}{check:02}")).is_some());
        assert_eq!(
            format!("{:?}", NationalNumber::parse("85073003328").expect("valid")),
            "NationalNumber(…)",
            "never printed"
        );
    }
}
