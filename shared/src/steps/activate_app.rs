//! Wizard step 3 by mobile app: which apps to install, then pairing by QR code and the first code.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, code_required, require_citizen,
    require_rate_allowance, require_wizard,
};
use crate::app::App;
use crate::audit;
use crate::domain::{Citizen, KeyKind};
use crate::i18n::Lang;
use crate::routes::Route;
use crate::secrets::KeyPurpose;
use crate::store::Value;
use crate::totp::AppSecret;
use crate::view::{Action, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use crate::wizard::{self, Guard, Switched, Wizard};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;

/// Wrong codes while pairing before a new secret is needed.
const PAIR_TRIES: u8 = 5;

/// Widely used authenticator apps; any TOTP app works.
const APPS: [&str; 5] = [
    "Microsoft Authenticator",
    "Google Authenticator",
    "FreeOTP",
    "Aegis Authenticator (Android)",
    "2FAS Auth",
];

fn install_view(lang: Lang) -> View {
    let view = View::new("activate.app.install", lang, "wizard-install-title")
        .progress(3)
        .data("apps", APPS.to_vec().into())
        .paragraph("wizard-install-intro")
        .block(Block::List(APPS.iter().map(|a| a.to_string()).collect()))
        .paragraph("wizard-install-then");
    let next = Action::post("next", Route::InstallAppNext.path(), view.t("button-next"));
    let back = Action::get("back", Route::SelectKey.path(), view.t("button-back"));
    view.action(next).action(back)
}

fn installing(state: &Wizard) -> bool {
    matches!(state, Wizard::InstallApp | Wizard::PairApp { .. })
}

/// `GET /activate/app/install`.
pub async fn install(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, installing).await?;
    Ok(ctx.render(install_view(ctx.lang)))
}

/// `POST /activate/app/install`: a new secret to pair, sealed in the wizard until it is the key.
pub async fn install_next(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, installing).await?;
    let secret = AppSecret::generate();
    let sealed_secret = secret.seal(&app.secrets.key(KeyPurpose::TotpEncryption), &citizen.id);
    let state = Wizard::PairApp {
        sealed_secret,
        tries: 0,
    };
    wizard::save(&app, &citizen.id, &state)
        .await
        .or_unavailable(&ctx)?;
    Ok(ctx.redirect(Route::PairApp.path()))
}

fn pair_view(lang: Lang, citizen: &Citizen, secret: &AppSecret) -> View {
    let uri = secret.otpauth_uri(&citizen.username);
    let view = View::new("activate.app.pair", lang, "wizard-pair-title")
        .progress(3)
        .data("secret", secret.base32().into())
        .data("otpauth_uri", uri.into())
        .paragraph("wizard-pair-scan");
    let view = match secret.qr_svg(&citizen.username) {
        Ok(svg) => {
            let alt = view.t("wizard-pair-qr-alt");
            view.block(Block::Svg { svg, alt })
        }
        // The secret as text below still lets the citizen pair by hand.
        Err(err) => {
            tracing::error!(error = %err, "QR code could not be drawn");
            view
        }
    };
    let manual = Block::Secret {
        label: view.t("wizard-pair-manual"),
        value: secret.grouped(),
    };
    let warning = Block::Callout {
        level: Level::Warning,
        text: view.t("wizard-pair-warning"),
    };
    let mut code = view.field("code", "field-code", FieldKind::Code);
    code.hint = Some(view.t("wizard-pair-code"));
    let submit = Action::post(
        "submit",
        Route::PairAppSubmit.path(),
        view.t("button-continue"),
    )
    .field(code);
    let back = Action::get("back", Route::InstallApp.path(), view.t("button-back"));
    view.block(manual)
        .block(warning)
        .action(submit)
        .action(back)
}

async fn pairing(
    app: &App,
    ctx: &Ctx,
    citizen: &Citizen,
) -> Result<(Wizard, AppSecret, String, u8), Response> {
    let state = require_wizard(app, ctx, &citizen.id, |w| {
        matches!(w, Wizard::PairApp { .. })
    })
    .await?;
    let Wizard::PairApp {
        sealed_secret,
        tries,
    } = &state
    else {
        return Err(ctx.redirect(state.page().path()));
    };
    let key = app.secrets.key(KeyPurpose::TotpEncryption);
    match AppSecret::unseal(sealed_secret, &key, &citizen.id) {
        Ok(secret) => {
            let (sealed, tries) = (sealed_secret.clone(), *tries);
            Ok((state, secret, sealed, tries))
        }
        Err(err) => {
            tracing::error!(error = %err, "pairing secret cannot be opened; pairing starts again");
            wizard::save(app, &citizen.id, &Wizard::InstallApp)
                .await
                .or_unavailable(ctx)?;
            Err(ctx.redirect(Route::InstallApp.path()))
        }
    }
}

/// `GET /activate/app/pair`.
pub async fn pair(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let (_, secret, _, _) = pairing(&app, &ctx, &citizen).await?;
    Ok(ctx.render(pair_view(ctx.lang, &citizen, &secret)))
}

/// `POST /activate/app/pair`: the app's code proves the pairing and switches to the app key.
pub async fn pair_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<CodeForm>,
) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let (state, secret, sealed, tries) = pairing(&app, &ctx, &citizen).await?;
    if form.code.trim().is_empty() {
        return Err(ctx.render(code_required(pair_view(ctx.lang, &citizen, &secret))));
    }
    let now = app.clock.now_secs().max(0) as u64;
    let Some(step) = secret.matching_step(&form.code, now) else {
        audit::record(&app, "key.activate", Some(&citizen.id), "app_code_refused").await;
        let tries = tries + 1;
        if tries >= PAIR_TRIES {
            wizard::save(&app, &citizen.id, &Wizard::InstallApp)
                .await
                .or_unavailable(&ctx)?;
            return Err(ctx.render(
                install_view(ctx.lang)
                    .status(StatusCode::UNPROCESSABLE_ENTITY)
                    .message(Level::Error, "app.restart", None),
            ));
        }
        let again = Wizard::PairApp {
            sealed_secret: sealed,
            tries,
        };
        wizard::save(&app, &citizen.id, &again)
            .await
            .or_unavailable(&ctx)?;
        let view = pair_view(ctx.lang, &citizen, &secret)
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, "code.invalid", Some("code"))
            .message_args(
                Level::Info,
                "code.tries_left",
                &[("tries", i64::from(PAIR_TRIES - tries).into())],
            );
        return Err(ctx.render(view));
    };
    let extra = vec![
        ("secret".to_string(), Value::S(sealed)),
        ("last_step".to_string(), Value::N(step as i64)),
    ];
    let switched = wizard::switch_to(
        &app,
        &citizen,
        KeyKind::App,
        ctx.lang,
        Guard::Wizard(state),
        extra,
    )
    .await
    .or_unavailable(&ctx)?;
    match switched {
        Switched::Activated { .. } | Switched::AlreadyActive => {
            Ok(ctx.redirect(Route::Confirmation.path()))
        }
        Switched::CodeUsed => Ok(ctx.redirect(Route::PairApp.path())),
    }
}
