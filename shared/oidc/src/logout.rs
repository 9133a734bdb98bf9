//! RP-Initiated Logout 1.0: a service ends the citizen's session and may have them sent back.
//!
//! With a valid `id_token_hint` for the session's citizen the session ends at once; otherwise the
//! citizen is asked first (the `oidc.logout` page). `post_logout_redirect_uri` must be registered
//! for the client exactly; `state` goes back with it.

use crate::clients::{self, Client};
use crate::params::{Given, Params};
use crate::{Oidc, signer};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use jsonwebtoken::{Algorithm, Validation};
use keys_domain::App;
use keys_domain::routes::Route;
use keys_domain::session::current_session;
use keys_web::refusal::Refusal;
use keys_web::steps::request::{EmptyForm, Page};
use keys_web::steps::views::OrUnavailable;
use keys_web::view::{Action, ActionStyle, View};
use keys_web::web::{Ctx, FormPost, OIDC_REQUEST_COOKIE, SESSION_COOKIE};

/// `GET` and `POST /oidc/logout`.
pub async fn handle(State(app): State<App>, oidc: Oidc, Given { ctx, params }: Given) -> Page {
    logout(&app, &oidc, ctx, params).await
}

/// Who the hint says the service logged in: the subject and the audience.
struct Hint {
    sub: String,
    aud: String,
}

/// An ID token of ours, signed by a published key and issued here; expired ones still name the
/// session they came from (RP-Initiated Logout §2).
async fn verify_hint(oidc: &Oidc, token: &str) -> Option<Hint> {
    let header = jsonwebtoken::decode_header(token).ok()?;
    if header.alg != Algorithm::RS256 {
        return None;
    }
    let signer = oidc.provider.signer()?;
    let key = signer::decoding_key(signer.as_ref(), header.kid.as_deref()?)
        .await
        .ok()??;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    validation.set_issuer(&[&oidc.issuer]);
    let claims = jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
        .ok()?
        .claims;
    let aud = match &claims["aud"] {
        serde_json::Value::String(aud) => aud.clone(),
        serde_json::Value::Array(list) if list.len() == 1 => list[0].as_str()?.to_string(),
        _ => return None,
    };
    Some(Hint {
        sub: claims["sub"].as_str()?.to_string(),
        aud,
    })
}

/// Where to go after the logout: a registered address of the client (with `state`), or none.
struct After {
    client: Option<Client>,
    redirect: Option<String>,
    state: Option<String>,
}

impl After {
    fn answer(&self, ctx: &Ctx) -> Response {
        match &self.redirect {
            Some(uri) => {
                let mut url = match url::Url::parse(uri) {
                    Ok(url) => url,
                    Err(_) => return ctx.redirect(Route::LoggedOut.path()),
                };
                if let Some(state) = &self.state {
                    url.query_pairs_mut().append_pair("state", state);
                }
                ctx.redirect(url.as_str())
            }
            None => ctx.redirect(Route::LoggedOut.path()),
        }
    }

    /// The confirmation page's address, carrying the same parameters.
    fn confirm_href(&self) -> String {
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(client) = &self.client {
            query.push(("client_id", &client.client_id));
        }
        if let Some(redirect) = &self.redirect {
            query.push(("post_logout_redirect_uri", redirect));
        }
        if let Some(state) = &self.state {
            query.push(("state", state));
        }
        if query.is_empty() {
            Route::OidcLogoutConfirm.path().to_string()
        } else {
            Route::OidcLogoutConfirm
                .with_query(&serde_urlencoded::to_string(query).unwrap_or_default())
        }
    }
}

/// The client and address the parameters name, checked; `None`: refuse.
async fn after(
    app: &App,
    ctx: &Ctx,
    client_id: Option<&str>,
    redirect: Option<&str>,
    state: Option<&str>,
) -> Result<Option<After>, Refusal> {
    let client = match client_id {
        Some(id) => match clients::get(app, id).await.or_unavailable(ctx)? {
            Some(client) => Some(client),
            None => return Ok(None),
        },
        None => None,
    };
    if let Some(uri) = redirect
        && !client.as_ref().is_some_and(|c| c.logs_out_to(uri))
    {
        return Ok(None);
    }
    Ok(Some(After {
        client,
        redirect: redirect.map(String::from),
        state: state.map(String::from),
    }))
}

async fn logout(app: &App, oidc: &Oidc, mut ctx: Ctx, params: Option<Params>) -> Page {
    let invalid = |ctx: &Ctx| ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.logout_invalid");
    let Some(params) = params.filter(|p| p.repeated.is_none()) else {
        return Err(invalid(&ctx));
    };
    let hint = match params.get("id_token_hint") {
        Some(token) => match verify_hint(oidc, token).await {
            Some(hint) => Some(hint),
            None => return Err(invalid(&ctx)),
        },
        None => None,
    };
    let client_id = match (
        params.get("client_id"),
        hint.as_ref().map(|h| h.aud.as_str()),
    ) {
        (Some(given), Some(aud)) if given != aud => return Err(invalid(&ctx)),
        (given, aud) => given.or(aud),
    };
    let Some(after) = after(
        app,
        &ctx,
        client_id,
        params.get("post_logout_redirect_uri"),
        params.get("state"),
    )
    .await?
    else {
        return Err(invalid(&ctx));
    };
    let session = current_session(app, ctx.cookie(SESSION_COOKIE))
        .await
        .or_unavailable(&ctx)?;
    let Some(session) = session else {
        return Ok(after.answer(&ctx));
    };
    let hinted_citizen = match (&hint, &after.client) {
        (Some(hint), Some(client)) => client.subject(app, &session.citizen_id) == hint.sub,
        _ => false,
    };
    if !hinted_citizen {
        return Ok(ctx.render(confirm_view(&ctx, &after)));
    }
    end_session(app, &mut ctx, session).await?;
    Ok(after.answer(&ctx))
}

async fn end_session(
    app: &App,
    ctx: &mut Ctx,
    session: keys_domain::session::Session,
) -> Result<(), Refusal> {
    ctx.clear_cookie(SESSION_COOKIE);
    ctx.clear_cookie(OIDC_REQUEST_COOKIE);
    session.end(app, "oidc_logout").await.or_unavailable(ctx)?;
    Ok(())
}

/// The `oidc.logout` page: log out of Digital keys?
fn confirm_view(ctx: &Ctx, after: &After) -> View {
    let view =
        View::new(Route::OidcLogout, ctx.lang, "oidc-logout-title").paragraph("oidc-logout-text");
    let confirm = Action::post(
        "confirm",
        after.confirm_href(),
        view.t("oidc-logout-confirm"),
    );
    let stay = Action::get("keys", Route::MyKeys.path(), view.t("keys-back"))
        .style(ActionStyle::Secondary);
    view.action(confirm).action(stay)
}

/// `POST /oidc/logout/confirm`: the citizen confirmed; the session ends.
pub async fn confirm(
    State(app): State<App>,
    FormPost { mut ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let client_id = ctx.query("client_id").map(String::from);
    let redirect = ctx.query("post_logout_redirect_uri").map(String::from);
    let state = ctx.query("state").map(String::from);
    let Some(after) = after(
        &app,
        &ctx,
        client_id.as_deref(),
        redirect.as_deref(),
        state.as_deref(),
    )
    .await?
    else {
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.logout_invalid"));
    };
    if let Some(session) = current_session(&app, ctx.cookie(SESSION_COOKIE))
        .await
        .or_unavailable(&ctx)?
    {
        end_session(&app, &mut ctx, session).await?;
    }
    // After a form: a page that goes on to the service by itself (the CSP's `form-action`
    // holds back a redirect to another origin that follows a form's submission).
    match (&after.redirect, &after.client) {
        (Some(_), Some(client)) if !ctx.json => {
            let to = after.answer(&ctx);
            let url = to
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            Ok(ctx.render(crate::authorize::continue_view(
                ctx.lang,
                &url,
                client.name_in(ctx.lang),
            )))
        }
        _ => Ok(after.answer(&ctx)),
    }
}
