//! A seeded, bounded fuzz run over every route of the local runner: 10,000 requests with odd
//! methods, paths, queries, cookies, content types and form values, logged in and not; no answer
//! may be a server error. `DK_FUZZ_SEED` replays a run, `DK_FUZZ_REQUESTS` changes its size.

use blackbox::{Browser, Service, token_login_to_notice};
use futures::StreamExt;
use keys_core::routes::{Method, Route};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Values that have broken parsers before: empty, huge, control and bidi characters, encodings,
/// addresses of other sites, numbers at the edges, and a few that are right.
fn odd_values(rng: &mut StdRng) -> String {
    let pool: [&dyn Fn(&mut StdRng) -> String; 22] = [
        &|_| String::new(),
        &|_| "x".repeat(3000),
        &|_| "%00%ff%c0%af".into(),
        &|_| "\u{0}\u{1}\u{7f}".into(),
        &|_| "\u{202e}gnp.exe".into(),
        &|_| "jan\u{200b}peeters".into(),
        &|_| "😀🔑".repeat(40),
        &|_| "https://evil.example/".into(),
        &|_| "//evil.example".into(),
        &|_| "/\\evil.example".into(),
        &|_| "javascript:alert(1)".into(),
        &|_| "<script>alert(1)</script>".into(),
        &|_| "' OR '1'='1".into(),
        &|_| "a,b@example.com".into(),
        &|_| "jan@bücher.example".into(),
        &|_| "-1".into(),
        &|_| "99999999999999999999999".into(),
        &|rng| format!("{:06}", rng.gen_range(0..1_000_000)),
        &|_| "token".into(),
        &|_| "email".into(),
        &|_| "app".into(),
        &|rng| {
            (0..rng.gen_range(1..40))
                .map(|_| rng.gen_range(0x20u32..0x2FF))
                .filter_map(char::from_u32)
                .collect()
        },
    ];
    let pick = rng.gen_range(0..pool.len());
    pool[pick](rng)
}

const FIELDS: [&str; 10] = [
    "username",
    "password",
    "key",
    "code",
    "email",
    "csrf",
    "lang",
    "state",
    "redirect_uri",
    "client_id",
];
const QUERY: [&str; 9] = [
    "lang",
    "return_to",
    "everywhere",
    "sent",
    "again",
    "client_id",
    "redirect_uri",
    "response_type",
    "code_challenge",
];
const CONTENT_TYPES: [&str; 6] = [
    "application/json",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded-evil",
    "text/plain",
    "",
    "application/x-www-form-urlencoded; charset=ISO-8859-1",
];
const COOKIES: [&str; 7] = [
    "dk_session=junk",
    "dk_session=abc.def",
    "dk_flow=..",
    "dk_csrf=short",
    "dk_lang=xx",
    "dk_device=%%%",
    "dk_oidc=zzz",
];

fn query(rng: &mut StdRng) -> String {
    if rng.gen_bool(0.5) {
        return String::new();
    }
    let pairs: Vec<(String, String)> = (0..rng.gen_range(1..4))
        .map(|_| {
            let name = QUERY.choose(rng).copied().unwrap_or("lang").to_string();
            (name, odd_values(rng))
        })
        .collect();
    format!(
        "?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

fn odd_path(rng: &mut StdRng, path: &str) -> String {
    match rng.gen_range(0..6) {
        0 => format!("{path}/{}", "a".repeat(rng.gen_range(1..300))),
        1 => format!("{path}%2e%2e%2f"),
        2 => format!("/{}", "..%2f".repeat(rng.gen_range(1..10))),
        3 => format!("{path}//"),
        4 => path.to_uppercase(),
        _ => format!("{path}/%ff%fe"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_fuzzed_requests_over_every_route_get_no_server_error() {
    let seed: u64 = std::env::var("DK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_125);
    let total: usize = std::env::var("DK_FUZZ_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    // A browser logged in with the token (its cookies and CSRF token make the requests reach
    // the handlers past the session and CSRF checks), and strangers with odd cookies.
    let logged_in = service.browser("en");
    let notice = token_login_to_notice(&logged_in, &citizen).await;
    let keys = logged_in.act(&notice, "close", &[]).await;
    let csrf = keys.json["csrf"].as_str().expect("csrf").to_string();
    let stranger = Browser::new(&service.base, "nl", false);

    let mut rng = StdRng::seed_from_u64(seed);
    let mut requests = Vec::with_capacity(total);
    for n in 0..total {
        let route = *Route::ALL.choose(&mut rng).expect("routes");
        let method = match (rng.gen_range(0..10), route.spec().method) {
            (0, _) => ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"]
                .choose(&mut rng)
                .copied()
                .unwrap_or("PUT"),
            (1, Method::Get) => "POST",
            (1, Method::Post) => "GET",
            (_, Method::Get) => "GET",
            (_, Method::Post) => "POST",
        };
        let path = if rng.gen_bool(0.85) {
            route.path().to_string()
        } else {
            odd_path(&mut rng, route.path())
        };
        let url = format!("{}{path}{}", service.base, query(&mut rng));
        let as_citizen = rng.gen_bool(0.5);
        let json = rng.gen_bool(0.7);
        let content_type = if rng.gen_bool(0.7) {
            "application/x-www-form-urlencoded".to_string()
        } else {
            CONTENT_TYPES
                .choose(&mut rng)
                .copied()
                .unwrap_or("")
                .to_string()
        };
        let body: Vec<u8> = if rng.gen_bool(0.1) {
            (0..rng.gen_range(0..2000))
                .map(|_| rng.r#gen::<u8>())
                .collect()
        } else {
            let mut pairs: Vec<(String, String)> = (0..rng.gen_range(0..6))
                .map(|_| {
                    let name = if rng.gen_bool(0.9) {
                        FIELDS
                            .choose(&mut rng)
                            .copied()
                            .unwrap_or("code")
                            .to_string()
                    } else {
                        odd_values(&mut rng)
                    };
                    (name, odd_values(&mut rng))
                })
                .collect();
            if as_citizen && rng.gen_bool(0.8) {
                pairs.push(("csrf".into(), csrf.clone()));
            }
            if rng.gen_bool(0.1) {
                pairs.push(("username".into(), citizen.username.clone()));
                pairs.push(("password".into(), citizen.password.clone()));
            }
            serde_urlencoded::to_string(pairs)
                .unwrap_or_default()
                .into_bytes()
        };
        let cookie = (!as_citizen && rng.gen_bool(0.5))
            .then(|| COOKIES.choose(&mut rng).copied().unwrap_or("").to_string());
        requests.push((n, method, url, as_citizen, json, content_type, body, cookie));
    }

    let answers = futures::stream::iter(requests.into_iter().map(
        |(n, method, url, as_citizen, json, content_type, body, cookie)| {
            let client = if as_citizen {
                logged_in.client.clone()
            } else {
                stranger.client.clone()
            };
            async move {
                let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
                let mut request = client.request(method.clone(), &url);
                if json {
                    request = request.header("accept", "application/json");
                }
                if method == reqwest::Method::POST {
                    request = request.header("content-type", content_type).body(body);
                }
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                let status = match request.send().await {
                    Ok(response) => response.status().as_u16(),
                    Err(err) => panic!("request {n} ({method} {url}) got no answer: {err}"),
                };
                (n, format!("{method} {url}"), status)
            }
        },
    ))
    .buffer_unordered(8)
    .collect::<Vec<_>>()
    .await;

    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for (_, _, status) in &answers {
        *by_status.entry(*status).or_default() += 1;
    }
    let server_errors: Vec<_> = answers
        .iter()
        .filter(|(_, _, status)| *status >= 500)
        .take(10)
        .collect();
    println!(
        "fuzz: seed {seed}, {} requests over {} routes: {by_status:?}",
        answers.len(),
        Route::ALL.len()
    );
    assert_eq!(answers.len(), total);
    assert!(
        by_status.keys().any(|status| *status < 300) && by_status.keys().any(|s| *s >= 400),
        "the run reached handlers and was refused too: {by_status:?}"
    );
    assert!(
        server_errors.is_empty(),
        "server errors (seed {seed}): {server_errors:?}"
    );
}
