//! Citizens enrolled in person at a registration office: kept as a pending enrolment (name, address, language, national register number) until they choose a username with their activation letter.

use crate::app::App;
use crate::crypto::random_short_id;
use crate::lang::Lang;
use crate::national_number::{self, NationalNumber};
use crate::store::{Condition, Item, StoreError, Write};

const SORT_KEY: &str = "enrolment";

fn pk(id: &str) -> String {
    format!("enrolment#{id}")
}

/// A citizen enrolled at an office who has no username yet. `id` becomes the citizen's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: String,
    pub name: String,
    pub email: String,
    pub lang: Lang,
    /// The keyed hash of the national register number, if the officer gave it.
    pub nrn_hash: Option<String>,
    /// The officer who enrolled the citizen (`officer:<id>`).
    pub enrolled_by: String,
    pub enrolled_at: i64,
}

/// A citizen as the officer enrols them, after checking their identity document.
#[derive(Debug, Clone)]
pub struct AtOffice {
    pub name: String,
    pub email: String,
    pub lang: Lang,
    pub national_number: Option<NationalNumber>,
}

/// Why a citizen could not be enrolled at the office.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolAtOfficeError {
    #[error("the {0} is not acceptable")]
    Invalid(&'static str),
    #[error("another citizen has this national register number")]
    NationalNumberTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Enrols a citizen at the office (the enrolment, the national register number's index entry
/// and the audit event, in one transaction): one citizen per number.
pub async fn enrol(
    app: &App,
    new: AtOffice,
    officer_actor: &str,
) -> Result<Pending, EnrolAtOfficeError> {
    let name = crate::citizens::valid_name(&new.name).ok_or(EnrolAtOfficeError::Invalid("name"))?;
    let email =
        crate::input::valid_address(&new.email).ok_or(EnrolAtOfficeError::Invalid("email"))?;
    let pending = Pending {
        id: random_short_id(),
        name,
        email,
        lang: new.lang,
        nrn_hash: new.national_number.as_ref().map(|n| n.hashed(app)),
        enrolled_by: officer_actor.to_string(),
        enrolled_at: app.clock.now_secs(),
    };
    let mut item = Item::new(pk(&pending.id), SORT_KEY)
        .with_s("name", &pending.name)
        .with_s("email", &pending.email)
        .with_s("lang", pending.lang.code())
        .with_s("enrolled_by", &pending.enrolled_by)
        .with_n("enrolled_at", pending.enrolled_at);
    let mut writes = Vec::new();
    if let Some(hash) = &pending.nrn_hash {
        item.set(national_number::ATTR, crate::store::Value::S(hash.clone()));
        writes.push(national_number::listed_for_enrolment(hash, &pending.id));
    }
    writes.insert(
        0,
        Write::Put {
            item,
            condition: Some(Condition::Absent),
        },
    );
    writes.push(crate::audit::write(
        app,
        "office.enrol",
        &pending.id,
        "enrolled",
    ));
    match app.store.transact(writes).await {
        Ok(()) => Ok(pending),
        Err(StoreError::TransactionCanceled { failed }) if failed.contains(&1) => {
            Err(EnrolAtOfficeError::NationalNumberTaken)
        }
        Err(err) => Err(err.into()),
    }
}

/// The pending enrolment with this id, if there is one.
pub async fn pending(app: &App, id: &str) -> Result<Option<Pending>, StoreError> {
    let Some(item) = app.store.get(&pk(id), SORT_KEY).await? else {
        return Ok(None);
    };
    Ok(Some(Pending {
        id: id.to_string(),
        name: item.s("name").unwrap_or_default().to_string(),
        email: item.s("email").unwrap_or_default().to_string(),
        lang: item
            .s("lang")
            .and_then(Lang::parse)
            .unwrap_or(Lang::DEFAULT),
        nrn_hash: item.s(national_number::ATTR).map(str::to_string),
        enrolled_by: item.s("enrolled_by").unwrap_or_default().to_string(),
        enrolled_at: item.n("enrolled_at").unwrap_or(0),
    }))
}

impl Pending {
    /// The writes that end the enrolment once the citizen's record `ck` is written with them:
    /// the enrolment goes (on condition it is still there) and the number's index entry moves
    /// to the record.
    pub fn completed(&self, ck: &str) -> Vec<Write> {
        let mut writes = vec![Write::Delete {
            pk: pk(&self.id),
            sk: SORT_KEY.into(),
            condition: Some(Condition::Present),
        }];
        if let Some(hash) = &self.nrn_hash {
            writes.push(national_number::moved_to_citizen(hash, &self.id, ck));
        }
        writes
    }
}
