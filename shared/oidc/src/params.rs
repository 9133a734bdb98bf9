//! Request parameters (query or form), parsed with serde_urlencoded; RFC 6749 §3.1 forbids repeats.

use std::collections::BTreeMap;

/// The largest form body the token, userinfo and logout endpoints read.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Parameters of one request, each given once (empty values count as absent, RFC 6749 §3.1).
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<String, String>,
    /// A parameter was given more than once.
    pub repeated: Option<String>,
}

impl Params {
    /// Parses `application/x-www-form-urlencoded` text; `None` when it is not that.
    pub fn parse(text: &str) -> Option<Params> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text).ok()?;
        let mut params = Params::default();
        for (name, value) in pairs {
            if value.is_empty() {
                continue;
            }
            if params.values.insert(name.clone(), value).is_some() && params.repeated.is_none() {
                params.repeated = Some(name);
            }
        }
        Some(params)
    }

    /// Parses a form body (bytes), `None` when it is not UTF-8 form encoding.
    pub fn parse_bytes(body: &[u8]) -> Option<Params> {
        Params::parse(std::str::from_utf8(body).ok()?)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

/// Parameters from both a query string and a form body (the authorization and logout endpoints
/// answer GET and POST alike).
pub fn from_request(query: Option<&str>, body: Option<&[u8]>) -> Option<Params> {
    match body {
        Some(body) if !body.is_empty() => Params::parse_bytes(body),
        _ => Params::parse(query.unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_noticed_and_empty_values_are_absent() {
        let p = Params::parse("a=1&b=&c=x%20y&a=2").expect("parses");
        assert_eq!(p.repeated.as_deref(), Some("a"));
        assert!(!p.has("b"));
        assert_eq!(p.get("c"), Some("x y"));
        assert!(Params::parse_bytes(&[0xff, 0xfe]).is_none());
    }
}
