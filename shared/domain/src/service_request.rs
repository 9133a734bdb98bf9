//! A public service's login request waiting for this browser: its item's key (written by keys_oidc) and the service's name the login pages show.

use crate::app::App;
use crate::crypto::keyed_hash;
use crate::lang::Lang;
use crate::secrets::KeyPurpose;
use crate::store::StoreError;
use std::collections::BTreeMap;

/// The sort key of a pending request's item.
pub const REQUEST_SK: &str = "request";
/// The attribute that holds the service's display names (JSON: language code → name, and
/// `"default"`).
pub const NAMES_ATTR: &str = "service_names";

/// The partition key of the pending request with id `id` (only the id's keyed hash is stored).
pub fn request_pk(app: &App, id: &str) -> String {
    format!(
        "oidc-request#{}",
        keyed_hash(
            &app.secrets.key(KeyPurpose::SessionHash),
            "oidc-request",
            id
        )
    )
}

/// Where the citizen cancels the request `id`: back to the service with `access_denied`.
pub fn cancel_href(id: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("request", id)
        .finish();
    crate::routes::Route::OidcCancel.with_query(&query)
}

/// The pending request a return address after login names (`/oidc/authorize/resume?request=…`).
pub fn request_of_return(return_to: &str) -> Option<String> {
    let query = return_to
        .strip_prefix(crate::routes::Route::OidcResume.path())?
        .strip_prefix('?')?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "request")
        .map(|(_, id)| id.into_owned())
}

/// The names of a service in each language, as the request item keeps them.
pub fn names_json(default: &str, by_lang: &BTreeMap<String, String>) -> String {
    let mut names = by_lang.clone();
    names.insert("default".into(), default.to_string());
    serde_json::to_string(&names).unwrap_or_default()
}

/// The name, in `lang`, of the service whose request `id` waits for a login; `None` when there
/// is no such live request (a forged or expired id).
pub async fn asking_service(app: &App, id: &str, lang: Lang) -> Result<Option<String>, StoreError> {
    if id.is_empty() || id.len() > 64 {
        return Ok(None);
    }
    let Some(item) = app.store.get(&request_pk(app, id), REQUEST_SK).await? else {
        return Ok(None);
    };
    let names: BTreeMap<String, String> = item
        .s(NAMES_ATTR)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    Ok(names
        .get(lang.code())
        .or_else(|| names.get("default"))
        .cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;
    use crate::store::Item;

    #[tokio::test]
    async fn the_service_is_named_in_the_pages_language_or_by_default() {
        let (app, _) = test_app();
        let names = BTreeMap::from([("nl".to_string(), "Belastingen".to_string())]);
        let item = Item::new(request_pk(&app, "r1"), REQUEST_SK)
            .with_s(NAMES_ATTR, names_json("Tax office", &names));
        app.store.put(item, None).await.expect("put");
        let name = |lang| asking_service(&app, "r1", lang);
        assert_eq!(name(Lang::Nl).await, Ok(Some("Belastingen".into())));
        assert_eq!(name(Lang::Fr).await, Ok(Some("Tax office".into())));
        assert_eq!(asking_service(&app, "r2", Lang::En).await, Ok(None));
        assert_eq!(asking_service(&app, "", Lang::En).await, Ok(None));
    }

    #[test]
    fn a_return_address_names_its_request() {
        assert_eq!(
            request_of_return("/oidc/authorize/resume?request=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(request_of_return("/keys"), None);
        assert_eq!(
            request_of_return("/oidc/authorize/resumex?request=abc"),
            None
        );
        assert_eq!(cancel_href("a b"), "/oidc/authorize/cancel?request=a+b");
    }
}
