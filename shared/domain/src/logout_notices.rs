//! Back-channel logout notices: when a session that logged into public services ends, one item per service is written with the session's end, then delivered from the stream (keys_oidc::backchannel).
//!
//! Items: `logout#<0..15>` / `notice#<id>` with `client_id`, `citizen_id` and `session` (the record
//! attribute of the session that ended: the logout token's `sid` is derived from it), kept a day.

use crate::app::App;
use crate::crypto::random_short_id;
use crate::store::{Item, StoreError, Write};

/// The prefix of the notices' partitions.
pub const NOTICE_PK: &str = "logout";
/// The notices are spread over this many partitions (`logout#0` …).
pub const NOTICE_SHARDS: u32 = 16;
/// How long an undelivered notice is kept (the stream's retries end well before).
const KEEP_SECONDS: i64 = 24 * 3600;

/// One service to tell that a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub client_id: String,
    pub citizen_id: String,
    /// The record attribute of the session that ended.
    pub session: String,
}

/// A notice as the table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub pk: String,
    pub sk: String,
    pub notice: Notice,
}

fn shard_of(sk: &str) -> String {
    let shard = sk
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % NOTICE_SHARDS;
    format!("{NOTICE_PK}#{shard}")
}

/// Whether `pk` is one of the notices' partitions.
pub fn is_notice_pk(pk: &str) -> bool {
    pk.strip_prefix(NOTICE_PK)
        .and_then(|rest| rest.strip_prefix('#'))
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n < NOTICE_SHARDS)
}

/// The write that queues `notice`, for the transaction that ends the session.
pub fn write(app: &App, notice: &Notice) -> Write {
    let sk = format!("notice#{}", random_short_id());
    let item = Item::new(shard_of(&sk), &sk)
        .expiring_at(app.clock.now_secs() + KEEP_SECONDS)
        .with_s("client_id", &notice.client_id)
        .with_s("citizen_id", &notice.citizen_id)
        .with_s("session", &notice.session);
    Write::Put {
        item,
        condition: None,
    }
}

fn notice_of(get: impl Fn(&str) -> Option<String>) -> Option<Notice> {
    Some(Notice {
        client_id: get("client_id")?,
        citizen_id: get("citizen_id")?,
        session: get("session")?,
    })
}

/// The notice in a table item, if it is one.
pub fn from_item(item: &Item) -> Option<Stored> {
    if !is_notice_pk(&item.pk) || !item.sk.starts_with("notice#") {
        return None;
    }
    let notice = notice_of(|name| item.s(name).map(String::from))?;
    Some(Stored {
        pk: item.pk.clone(),
        sk: item.sk.clone(),
        notice,
    })
}

/// Every notice still waiting (16 queries, one per partition).
pub async fn pending(app: &App) -> Result<Vec<Stored>, StoreError> {
    let mut waiting = Vec::new();
    for shard in 0..NOTICE_SHARDS {
        let items = app
            .store
            .query(&format!("{NOTICE_PK}#{shard}"), "notice#")
            .await?;
        waiting.extend(items.iter().filter_map(from_item));
    }
    Ok(waiting)
}

/// Removes a delivered notice.
pub async fn delivered(app: &App, stored: &Stored) -> Result<(), StoreError> {
    app.store.delete(&stored.pk, &stored.sk, None).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;

    #[tokio::test]
    async fn a_notice_waits_in_its_partition_until_delivered() {
        let (app, _) = test_app();
        let notice = Notice {
            client_id: "tax".into(),
            citizen_id: "c1".into(),
            session: "s_abc".into(),
        };
        app.store
            .transact(vec![write(&app, &notice)])
            .await
            .expect("queued");
        let waiting = pending(&app).await.expect("store");
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].notice, notice);
        assert!(is_notice_pk(&waiting[0].pk));
        let item = Item::new(&waiting[0].pk, &waiting[0].sk)
            .with_s("client_id", "tax")
            .with_s("citizen_id", "c1")
            .with_s("session", "s_abc");
        assert_eq!(from_item(&item), Some(waiting[0].clone()));
        assert_eq!(from_item(&Item::new("outbox#1", "mail#x")), None);
        delivered(&app, &waiting[0]).await.expect("deleted");
        assert!(pending(&app).await.expect("store").is_empty());
        assert!(!is_notice_pk("logout#16") && !is_notice_pk("outbox#1"));
    }
}
