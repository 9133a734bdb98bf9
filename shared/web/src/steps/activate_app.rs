//! Wizard step 3 by mobile app: which apps to install, then pairing by QR code and the first code.

use super::effects::{Halt, halted};
use super::request::{CodeForm, EmptyForm, Page, Visit, require_wizard_session};
use super::run_wizard::{run_wizard, wizard_step};
use super::views::{OrElsewhere, code_required};
use crate::i18n::Lang;
use crate::refusal::Refusal;
use crate::view::{Action, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::citizens::Citizen;
use keys_domain::flows::wizard::{Why, Wizard};
use keys_domain::methods;
use keys_domain::routes::Route;
use keys_domain::secrets::KeyPurpose;
use keys_domain::totp::AppSecret;

/// Widely used authenticator apps; any TOTP app works.
const APPS: [&str; 5] = [
    "Microsoft Authenticator",
    "Google Authenticator",
    "FreeOTP",
    "Aegis Authenticator (Android)",
    "2FAS Auth",
];

/// The app stores of phones and tablets, at their search for authenticator apps.
const STORES: [(&str, &str); 2] = [
    (
        "App Store",
        "https://apps.apple.com/search?term=authenticator",
    ),
    (
        "Google Play",
        "https://play.google.com/store/search?q=authenticator&c=apps",
    ),
];

fn install_view(lang: Lang) -> View {
    let view = View::new(Route::InstallApp, lang, "wizard-install-title")
        .progress(3)
        .data("apps", APPS.to_vec().into())
        .data(
            "stores",
            serde_json::json!(
                STORES.map(|(name, href)| serde_json::json!({"name": name, "href": href}))
            ),
        )
        .paragraph("wizard-install-intro")
        .block(Block::List(APPS.iter().map(|a| a.to_string()).collect()))
        .paragraph("wizard-install-search");
    let view = STORES.iter().fold(view, |view, (store, href)| {
        let text = view.t_args("wizard-install-store", &[("store", (*store).into())]);
        view.block(Block::Linked(crate::view::Link::within(&text, store, href)))
    });
    let view = view.paragraph("wizard-install-then");
    let next = Action::post("next", Route::InstallAppNext.path(), view.t("button-next"));
    let back = Action::get("back", Route::SelectKey.path(), view.t("button-previous"));
    view.action(next).action(back)
}

/// `GET /activate/app/install`.
pub async fn install(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    let current = visit.record.wizard(&app);
    methods::app::installing(current.as_ref()).or_elsewhere(&ctx)?;
    Ok(ctx.render(install_view(ctx.lang)))
}

/// `POST /activate/app/install`: a new secret to pair, sealed in the wizard until it is the key.
pub async fn install_next(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let current = visit.record.wizard(&app);
    let secret = AppSecret::generate();
    let sealed_secret = secret.seal(&app.secrets.key(KeyPurpose::TotpEncryption), &citizen.id);
    let outcome = methods::app::start_pairing(current.as_ref(), sealed_secret);
    visit.record.require_wizard_unchanged();
    wizard_step(&app, &ctx, &mut visit, outcome, || install_view(ctx.lang)).await
}

fn pair_view(lang: Lang, citizen: &Citizen, secret: &AppSecret) -> View {
    let uri = secret.otpauth_uri(&citizen.username);
    let view = View::new(Route::PairApp, lang, "wizard-pair-title")
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
    let sixty_seconds = Block::Paragraph(view.t("wizard-pair-valid"));
    let mut code = view.field("code", "field-code", FieldKind::Code);
    code.hint = Some(view.t("wizard-pair-code"));
    let submit =
        Action::post("submit", Route::PairAppSubmit.path(), view.t("button-next")).field(code);
    let back = Action::get("back", Route::InstallApp.path(), view.t("button-previous"));
    view.block(manual)
        .block(sixty_seconds)
        .block(warning)
        .action(submit)
        .action(back)
}

/// The wizard while pairing, with the pairing secret opened; a secret that cannot be opened
/// starts the pairing again.
async fn pairing(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
) -> Result<(Option<Wizard>, AppSecret), Refusal> {
    let current = visit.record.wizard(app);
    let (sealed_secret, _) = methods::app::pairing(current.as_ref()).or_elsewhere(ctx)?;
    let key = app.secrets.key(KeyPurpose::TotpEncryption);
    match AppSecret::unseal(sealed_secret, &key, &visit.citizen.id) {
        Ok(secret) => Ok((current, secret)),
        Err(err) => {
            tracing::error!(error = %err, "pairing secret cannot be opened; pairing starts again");
            let outcome = methods::app::restart_pairing(current.as_ref());
            // Pairing starts again at the install page (where the transition moves the wizard).
            Err(
                match wizard_step(app, ctx, visit, outcome, || install_view(ctx.lang)).await {
                    Ok(_) => ctx.elsewhere(Route::InstallApp.path()),
                    Err(refusal) => refusal,
                },
            )
        }
    }
}

/// `GET /activate/app/pair`.
pub async fn pair(State(app): State<App>, ctx: Ctx) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let (_, secret) = pairing(&app, &ctx, &mut visit).await?;
    Ok(ctx.render(pair_view(ctx.lang, &visit.citizen, &secret)))
}

/// `POST /activate/app/pair`: the app's code proves the pairing and switches to the app key; a
/// wrong code counts on condition the wizard did not change meanwhile.
pub async fn pair_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<CodeForm>,
) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let (current, secret) = pairing(&app, &ctx, &mut visit).await?;
    let page = || pair_view(ctx.lang, &citizen, &secret);
    if form.code.trim().is_empty() {
        return Err(ctx.refuse(code_required(page())));
    }
    let outcome =
        methods::app::pair_code(current.as_ref(), &secret, &form.code, app.clock.now_secs());
    visit.record.require_wizard_unchanged();
    match outcome {
        Ok(paired) => match run_wizard(&app, &ctx, &mut visit, paired.effects).await {
            Ok(()) => Ok(ctx.redirect(paired.next.page().path())),
            // Another tab paired meanwhile: the pairing page shows where the wizard is now.
            Err(Halt::CodeUsed | Halt::Conflict) => Ok(ctx.redirect(Route::PairApp.path())),
            Err(halt) => Err(halted(&ctx, halt)),
        },
        Err(refused) if refused.why == Why::PairingRestarts => {
            wizard_step(&app, &ctx, &mut visit, Err(refused), || {
                install_view(ctx.lang)
            })
            .await
        }
        Err(refused) => wizard_step(&app, &ctx, &mut visit, Err(refused), page).await,
    }
}
