//! `cargo run`: the whole service on 127.0.0.1:PORT with the in-memory store and the local outbox.

use keys_core::config::Runner;
use keys_core::wiring::StoreKind;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    keys_core::telemetry::init(false);
    let mut wired = match keys_core::wiring::from_env(Runner::Local).await {
        Ok(wired) => wired,
        Err(err) => {
            eprintln!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let wiring = wired.wiring.clone();
    // An activation letter's mailed link starts with the runner's own address unless PUBLIC_URL
    // (or OIDC_ISSUER) names another.
    if wired.app.settings.public_url.is_none() {
        let mut settings = (*wired.app.settings).clone();
        settings.public_url = Some(format!(
            "http://127.0.0.1:{}{}",
            wiring.port, settings.base_path
        ));
        wired.app.settings = std::sync::Arc::new(settings);
    }
    if wiring.store == StoreKind::DynamoDb {
        if wiring.master_secret.is_none() {
            eprintln!(
                "warning: STORE=dynamodb without MASTER_SECRET: hashes stored now cannot be checked after a restart"
            );
        }
        let aws = keys_core::aws::from_env().await;
        let client = aws_sdk_dynamodb::Client::new(&aws);
        if let Err(err) =
            keys_core::store::dynamodb::create_table_if_missing(&client, &wiring.table_name).await
        {
            eprintln!("cannot reach or create table {}: {err}", wiring.table_name);
            return ExitCode::FAILURE;
        }
    }
    let demo = local::CitizenRequest {
        username: Some("demo".into()),
        password: Some("tulip-harbour-lantern".into()),
        email: Some("demo@example.org".into()),
        lang: None,
        name: Some("Jan Peeters".into()),
    };
    // The demo citizen's password is published: only the local runner's own in-memory store gets
    // it, or a table an operator names on purpose (LOCAL_DEMO_CITIZEN=on).
    let demo_wanted = wiring.store == StoreKind::Memory
        || std::env::var("LOCAL_DEMO_CITIZEN").is_ok_and(|v| v == "on");
    if !demo_wanted {
        println!(
            "  no demo citizen in table {} (LOCAL_DEMO_CITIZEN=on adds it)",
            wiring.table_name
        );
    }
    let enrolled = if demo_wanted {
        local::enrol_citizen(&wired.app, demo).await.map(Some)
    } else {
        Ok(None)
    };
    let demo = match enrolled {
        Ok(demo) => demo,
        Err(keys_core::citizens::EnrolError::UsernameTaken) => None,
        Err(err) => {
            eprintln!("cannot create the demo citizen: {err}");
            return ExitCode::FAILURE;
        }
    };
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], wiring.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {address}: {err} (set PORT to use another port)");
            return ExitCode::FAILURE;
        }
    };
    println!("Digital keys runs on http://{address}/login");
    println!(
        "  mailbox: http://{address}/_local/mailbox    token sunset: {}",
        wired.app.settings.token_sunset_at
    );
    match demo {
        Some(demo) => {
            println!(
                "  demo citizen: username '{}', password '{}', e-mail {}",
                demo.username, demo.password, demo.email
            );
            let card: Vec<String> = demo
                .card
                .iter()
                .map(|(n, c)| format!("{n:>2}: {c}"))
                .collect();
            println!("  token card:");
            for row in card.chunks(6) {
                println!("    {}", row.join("   "));
            }
        }
        None if demo_wanted => println!("  demo citizen 'demo' already exists in the table"),
        None => {}
    }
    println!("  more citizens: curl -X POST http://{address}/_local/citizens");
    // The sweep stands in for the stream's retries. A runner that only enrols citizens into a
    // deployed stack's table (tests/localstack.sh) turns it off: the stack's mail-dispatch delivers.
    if std::env::var("LOCAL_REDELIVERY").as_deref() == Ok("off") {
        println!("  outbox redelivery: off (LOCAL_REDELIVERY=off)");
    } else {
        tokio::spawn(local::redeliver_every(
            wired.app.clone(),
            std::time::Duration::from_secs(30),
        ));
    }
    let oidc = match keys_oidc::OidcSettings::from_env(Runner::Local) {
        // The issuer defaults to the runner's own address, never to a request's Host.
        Ok(oidc) if oidc.issuer.is_none() => keys_oidc::OidcSettings {
            issuer: Some(format!("http://{address}{}", wired.app.settings.base_path)),
            ..oidc
        },
        Ok(oidc) => oidc,
        Err(err) => {
            eprintln!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let signer = match keys_aws::kms::signer_from_settings(&oidc, Runner::Local).await {
        Ok(signer) => signer,
        Err(err) => {
            eprintln!("cannot start: OpenID Connect signer: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "  OpenID Connect: issuer {} (ID tokens signed by key {}); \
         register a service: curl -X POST http://{address}/_local/oidc/clients -d @client.json",
        oidc.issuer.as_deref().unwrap_or_default(),
        signer.key_id()
    );
    let provider = keys_oidc::Provider::new(oidc, Some(signer));
    if std::env::var("LOCAL_REDELIVERY").as_deref() != Ok("off") {
        local::deliver_logouts(wired.app.clone(), &provider);
    }
    if std::env::var("LOCAL_DEMO_SERVICE").as_deref() != Ok("off") {
        let issuer = provider.settings().issuer.clone().unwrap_or_default();
        start_demo_service(&wired.app, &issuer, wiring.port).await;
    }
    let router = local::router_with(wired.app, wired.outbox, provider);
    match local::serve(listener, router).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("server stopped: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the demo public service on `http://localhost:<PORT + 1>` (`DEMO_SERVICE_PORT`), another
/// origin than the provider's, registered as the client `demo-service`.
async fn start_demo_service(app: &keys_core::App, issuer: &str, port: u16) {
    let demo_port = std::env::var("DEMO_SERVICE_PORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(port.saturating_add(1));
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", demo_port)).await {
        Ok(listener) => listener,
        Err(err) => {
            println!("  demo public service: not started ({err}; DEMO_SERVICE_PORT moves it)");
            return;
        }
    };
    let base = format!("http://localhost:{demo_port}");
    match local::demo_service::DemoService::register(app, &base, issuer).await {
        Ok(Some(demo)) => {
            println!(
                "  demo public service: {base}/ (logs in through this provider, hears back-channel logouts)"
            );
            tokio::spawn(async move {
                if let Err(err) = axum::serve(listener, demo.router()).await {
                    eprintln!("demo public service stopped: {err}");
                }
            });
        }
        Ok(None) => println!(
            "  demo public service: not started (a client '{}' is registered already)",
            local::demo_service::CLIENT_ID
        ),
        Err(err) => println!("  demo public service: not started ({err})"),
    }
}
