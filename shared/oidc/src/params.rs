//! Request parameters (query or form), parsed with serde_urlencoded; RFC 6749 §3.1 forbids repeats.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};
use keys_domain::app::App;
use keys_web::web::Ctx;
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

/// The parameters of a request to an endpoint that answers GET and POST alike (authorization,
/// logout): the query string of a GET, the form body (at most [`MAX_BODY_BYTES`]) of a POST;
/// `params` is `None` when they are not form encoding.
pub struct Given {
    pub ctx: Ctx,
    pub params: Option<Params>,
}

impl FromRequest<App> for Given {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let ctx = Ctx::from_parts(&parts, app);
        if parts.method != Method::POST {
            let params = Params::parse(parts.uri.query().unwrap_or_default());
            return Ok(Given { ctx, params });
        }
        let body = Bytes::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        if body.len() > MAX_BODY_BYTES {
            return Err(ctx.error(StatusCode::PAYLOAD_TOO_LARGE, "input.too_large"));
        }
        let params = Params::parse_bytes(&body);
        Ok(Given { ctx, params })
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
