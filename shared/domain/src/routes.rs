//! Every path the service serves or links to, declared once: method, path, function, handler module, step id.

/// An HTTP method a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A Lambda function that serves routes, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Function {
    Login,
    LoginToken,
    LoginEmail,
    LoginApp,
    MyKeys,
    ConfirmEmail,
    SelectKey,
    ActivateEmail,
    ActivateApp,
    Confirmation,
    OidcDiscovery,
    OidcAuthorize,
    OidcToken,
    OidcUserinfo,
    OidcLogout,
}

impl Function {
    pub const ALL: [Function; 15] = [
        Function::Login,
        Function::LoginToken,
        Function::LoginEmail,
        Function::LoginApp,
        Function::MyKeys,
        Function::ConfirmEmail,
        Function::SelectKey,
        Function::ActivateEmail,
        Function::ActivateApp,
        Function::Confirmation,
        Function::OidcDiscovery,
        Function::OidcAuthorize,
        Function::OidcToken,
        Function::OidcUserinfo,
        Function::OidcLogout,
    ];

    /// The function's crate and binary name (`functions/<binary>/`, the template's CodeUri).
    pub fn binary(self) -> &'static str {
        match self {
            Function::Login => "login",
            Function::LoginToken => "login-token",
            Function::LoginEmail => "login-email",
            Function::LoginApp => "login-app",
            Function::MyKeys => "my-keys",
            Function::ConfirmEmail => "confirm-email",
            Function::SelectKey => "select-key",
            Function::ActivateEmail => "activate-email",
            Function::ActivateApp => "activate-app",
            Function::Confirmation => "confirmation",
            Function::OidcDiscovery => "oidc-discovery",
            Function::OidcAuthorize => "oidc-authorize",
            Function::OidcToken => "oidc-token",
            Function::OidcUserinfo => "oidc-userinfo",
            Function::OidcLogout => "oidc-logout",
        }
    }

    /// The routes this function serves.
    pub fn routes(self) -> impl Iterator<Item = Route> {
        Route::ALL.into_iter().filter(move |r| r.function() == self)
    }
}

/// One route: what a browser asks for, which function answers, in which handler module, on which step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Route {
    /// `GET /`: My digital keys for a logged-in citizen, the login page for anyone else.
    Home,
    Stylesheet,
    Login,
    LoginSubmit,
    LoginToken,
    LoginTokenSubmit,
    TokenNotice,
    TokenNoticeActivate,
    TokenNoticeOtherKey,
    TokenNoticeClose,
    TokenUnavailable,
    LoginEmail,
    LoginEmailSubmit,
    LoginEmailResend,
    LoginApp,
    LoginAppSubmit,
    MyKeys,
    MyKeysActivate,
    MyKeysSignOut,
    PasswordChange,
    PasswordChangeSubmit,
    LoggedOut,
    ConfirmEmail,
    ConfirmEmailConfirm,
    ConfirmEmailChange,
    VerifyEmail,
    VerifyEmailSubmit,
    VerifyEmailCancel,
    SelectKey,
    SelectKeySubmit,
    ActivateEmail,
    ActivateEmailSubmit,
    ActivateEmailResend,
    ActivateEmailCancel,
    InstallApp,
    InstallAppNext,
    PairApp,
    PairAppSubmit,
    Confirmation,
    ConfirmationEndSession,
    /// OpenID Connect (keys_oidc): discovery, keys, authorization, token, userinfo, logout.
    OidcConfiguration,
    OidcJwks,
    OidcAuthorize,
    OidcAuthorizePost,
    /// Where the login comes back to, to answer a service's authorization request.
    OidcResume,
    OidcCancel,
    OidcToken,
    OidcUserinfo,
    OidcUserinfoPost,
    OidcLogout,
    OidcLogoutPost,
    OidcLogoutConfirm,
}

/// What a route is, as one row of the routes table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub method: Method,
    pub path: &'static str,
    pub function: Function,
    /// The handler module under `steps::` (or `web` for the stylesheet).
    pub module: &'static str,
    /// The step id of the page it shows or acts on (DESIGN.md §3); `-` for none.
    pub step: &'static str,
}

const fn spec(
    method: Method,
    path: &'static str,
    function: Function,
    module: &'static str,
    step: &'static str,
) -> Spec {
    Spec {
        method,
        path,
        function,
        module,
        step,
    }
}

impl Route {
    pub const ALL: [Route; 52] = [
        Route::Home,
        Route::Stylesheet,
        Route::Login,
        Route::LoginSubmit,
        Route::LoginToken,
        Route::LoginTokenSubmit,
        Route::TokenNotice,
        Route::TokenNoticeActivate,
        Route::TokenNoticeOtherKey,
        Route::TokenNoticeClose,
        Route::TokenUnavailable,
        Route::LoginEmail,
        Route::LoginEmailSubmit,
        Route::LoginEmailResend,
        Route::LoginApp,
        Route::LoginAppSubmit,
        Route::MyKeys,
        Route::MyKeysActivate,
        Route::MyKeysSignOut,
        Route::PasswordChange,
        Route::PasswordChangeSubmit,
        Route::LoggedOut,
        Route::ConfirmEmail,
        Route::ConfirmEmailConfirm,
        Route::ConfirmEmailChange,
        Route::VerifyEmail,
        Route::VerifyEmailSubmit,
        Route::VerifyEmailCancel,
        Route::SelectKey,
        Route::SelectKeySubmit,
        Route::ActivateEmail,
        Route::ActivateEmailSubmit,
        Route::ActivateEmailResend,
        Route::ActivateEmailCancel,
        Route::InstallApp,
        Route::InstallAppNext,
        Route::PairApp,
        Route::PairAppSubmit,
        Route::Confirmation,
        Route::ConfirmationEndSession,
        Route::OidcConfiguration,
        Route::OidcJwks,
        Route::OidcAuthorize,
        Route::OidcAuthorizePost,
        Route::OidcResume,
        Route::OidcCancel,
        Route::OidcToken,
        Route::OidcUserinfo,
        Route::OidcUserinfoPost,
        Route::OidcLogout,
        Route::OidcLogoutPost,
        Route::OidcLogoutConfirm,
    ];

    /// The route's row of the routes table.
    pub const fn spec(self) -> Spec {
        use Function as F;
        use Method::{Get, Post};
        match self {
            Route::Home => spec(Get, "/", F::Login, "login", "-"),
            Route::Stylesheet => spec(Get, "/assets/style.css", F::Login, "web", "-"),
            Route::Login => spec(Get, "/login", F::Login, "login", "login"),
            Route::LoginSubmit => spec(Post, "/login", F::Login, "login", "login"),
            Route::LoginToken => spec(
                Get,
                "/login/token",
                F::LoginToken,
                "login_token",
                "login.token",
            ),
            Route::LoginTokenSubmit => spec(
                Post,
                "/login/token",
                F::LoginToken,
                "login_token",
                "login.token",
            ),
            Route::TokenNotice => spec(
                Get,
                "/login/token/notice",
                F::LoginToken,
                "login_token",
                "login.token.notice",
            ),
            Route::TokenNoticeActivate => spec(
                Post,
                "/login/token/notice/activate",
                F::LoginToken,
                "login_token",
                "login.token.notice",
            ),
            Route::TokenNoticeOtherKey => spec(
                Post,
                "/login/token/notice/other-key",
                F::LoginToken,
                "login_token",
                "login.token.notice",
            ),
            Route::TokenNoticeClose => spec(
                Post,
                "/login/token/notice/close",
                F::LoginToken,
                "login_token",
                "login.token.notice",
            ),
            Route::TokenUnavailable => spec(
                Get,
                "/login/token/unavailable",
                F::LoginToken,
                "login_token",
                "login.token.unavailable",
            ),
            Route::LoginEmail => spec(
                Get,
                "/login/email",
                F::LoginEmail,
                "login_email",
                "login.email",
            ),
            Route::LoginEmailSubmit => spec(
                Post,
                "/login/email",
                F::LoginEmail,
                "login_email",
                "login.email",
            ),
            Route::LoginEmailResend => spec(
                Post,
                "/login/email/resend",
                F::LoginEmail,
                "login_email",
                "login.email",
            ),
            Route::LoginApp => spec(Get, "/login/app", F::LoginApp, "login_app", "login.app"),
            Route::LoginAppSubmit => {
                spec(Post, "/login/app", F::LoginApp, "login_app", "login.app")
            }
            Route::MyKeys => spec(Get, "/keys", F::MyKeys, "my_keys", "keys"),
            Route::MyKeysActivate => spec(Post, "/keys/activate", F::MyKeys, "my_keys", "keys"),
            Route::MyKeysSignOut => spec(Post, "/keys/sign-out", F::MyKeys, "my_keys", "keys"),
            Route::PasswordChange => {
                spec(Get, "/keys/password", F::MyKeys, "my_keys", "keys.password")
            }
            Route::PasswordChangeSubmit => spec(
                Post,
                "/keys/password",
                F::MyKeys,
                "my_keys",
                "keys.password",
            ),
            Route::LoggedOut => spec(Get, "/logged-out", F::MyKeys, "my_keys", "logged_out"),
            Route::ConfirmEmail => spec(
                Get,
                "/activate/email",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email",
            ),
            Route::ConfirmEmailConfirm => spec(
                Post,
                "/activate/email/confirm",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email",
            ),
            Route::ConfirmEmailChange => spec(
                Post,
                "/activate/email/change",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email",
            ),
            Route::VerifyEmail => spec(
                Get,
                "/activate/email/verify",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email.verify",
            ),
            Route::VerifyEmailSubmit => spec(
                Post,
                "/activate/email/verify",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email.verify",
            ),
            Route::VerifyEmailCancel => spec(
                Post,
                "/activate/email/verify/cancel",
                F::ConfirmEmail,
                "confirm_email",
                "activate.email.verify",
            ),
            Route::SelectKey => spec(
                Get,
                "/activate/select",
                F::SelectKey,
                "select_key",
                "activate.select",
            ),
            Route::SelectKeySubmit => spec(
                Post,
                "/activate/select",
                F::SelectKey,
                "select_key",
                "activate.select",
            ),
            Route::ActivateEmail => spec(
                Get,
                "/activate/email-code",
                F::ActivateEmail,
                "activate_email",
                "activate.email_code",
            ),
            Route::ActivateEmailSubmit => spec(
                Post,
                "/activate/email-code",
                F::ActivateEmail,
                "activate_email",
                "activate.email_code",
            ),
            Route::ActivateEmailResend => spec(
                Post,
                "/activate/email-code/resend",
                F::ActivateEmail,
                "activate_email",
                "activate.email_code",
            ),
            Route::ActivateEmailCancel => spec(
                Post,
                "/activate/email-code/cancel",
                F::ActivateEmail,
                "activate_email",
                "activate.email_code",
            ),
            Route::InstallApp => spec(
                Get,
                "/activate/app/install",
                F::ActivateApp,
                "activate_app",
                "activate.app.install",
            ),
            Route::InstallAppNext => spec(
                Post,
                "/activate/app/install",
                F::ActivateApp,
                "activate_app",
                "activate.app.install",
            ),
            Route::PairApp => spec(
                Get,
                "/activate/app/pair",
                F::ActivateApp,
                "activate_app",
                "activate.app.pair",
            ),
            Route::PairAppSubmit => spec(
                Post,
                "/activate/app/pair",
                F::ActivateApp,
                "activate_app",
                "activate.app.pair",
            ),
            Route::Confirmation => spec(
                Get,
                "/activate/done",
                F::Confirmation,
                "confirmation",
                "activate.done",
            ),
            Route::ConfirmationEndSession => spec(
                Post,
                "/activate/done/end-session",
                F::Confirmation,
                "confirmation",
                "activate.done",
            ),
            Route::OidcConfiguration => spec(
                Get,
                "/.well-known/openid-configuration",
                F::OidcDiscovery,
                "keys_oidc::discovery",
                "-",
            ),
            Route::OidcJwks => spec(
                Get,
                "/oidc/jwks",
                F::OidcDiscovery,
                "keys_oidc::discovery",
                "-",
            ),
            Route::OidcAuthorize => spec(
                Get,
                "/oidc/authorize",
                F::OidcAuthorize,
                "keys_oidc::authorize",
                "-",
            ),
            Route::OidcAuthorizePost => spec(
                Post,
                "/oidc/authorize",
                F::OidcAuthorize,
                "keys_oidc::authorize",
                "-",
            ),
            Route::OidcResume => spec(
                Get,
                "/oidc/authorize/resume",
                F::OidcAuthorize,
                "keys_oidc::authorize",
                "-",
            ),
            Route::OidcCancel => spec(
                Get,
                "/oidc/authorize/cancel",
                F::OidcAuthorize,
                "keys_oidc::authorize",
                "-",
            ),
            Route::OidcToken => spec(Post, "/oidc/token", F::OidcToken, "keys_oidc::token", "-"),
            Route::OidcUserinfo => spec(
                Get,
                "/oidc/userinfo",
                F::OidcUserinfo,
                "keys_oidc::userinfo",
                "-",
            ),
            Route::OidcUserinfoPost => spec(
                Post,
                "/oidc/userinfo",
                F::OidcUserinfo,
                "keys_oidc::userinfo",
                "-",
            ),
            Route::OidcLogout => spec(
                Get,
                "/oidc/logout",
                F::OidcLogout,
                "keys_oidc::logout",
                "oidc.logout",
            ),
            Route::OidcLogoutPost => spec(
                Post,
                "/oidc/logout",
                F::OidcLogout,
                "keys_oidc::logout",
                "oidc.logout",
            ),
            Route::OidcLogoutConfirm => spec(
                Post,
                "/oidc/logout/confirm",
                F::OidcLogout,
                "keys_oidc::logout",
                "oidc.logout",
            ),
        }
    }

    pub const fn method(self) -> Method {
        self.spec().method
    }

    pub const fn path(self) -> &'static str {
        self.spec().path
    }

    pub const fn function(self) -> Function {
        self.spec().function
    }

    /// The path with a query string (`?sent=1`).
    pub fn with_query(self, query: &str) -> String {
        format!("{}?{query}", self.path())
    }
}

/// The routes table as README.md shows it under "## Routes" (a test keeps the two the same).
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| method | URL | function | handler module | step id |\n| --- | --- | --- | --- | --- |\n",
    );
    for route in Route::ALL {
        let spec = route.spec();
        let module = if spec.module == "web" {
            "`keys_core::web`".to_string()
        } else if spec.module.starts_with("keys_oidc::") {
            format!("`{}`", spec.module)
        } else {
            format!("`steps::{}`", spec.module)
        };
        let step = if spec.step == "-" {
            "—".to_string()
        } else {
            format!("`{}`", spec.step)
        };
        table.push_str(&format!(
            "| {} | `{}` | `{}` | {module} | {step} |\n",
            spec.method.as_str(),
            spec.path,
            spec.function.binary(),
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_route_is_listed_once_and_no_method_and_path_twice() {
        let listed: BTreeSet<Route> = Route::ALL.into_iter().collect();
        assert_eq!(listed.len(), Route::ALL.len());
        let pairs: BTreeSet<(Method, &str)> =
            Route::ALL.iter().map(|r| (r.method(), r.path())).collect();
        assert_eq!(pairs.len(), Route::ALL.len());
        for route in Route::ALL {
            assert!(route.path().starts_with('/'), "{route:?}");
        }
    }

    #[test]
    fn every_function_serves_some_route() {
        for function in Function::ALL {
            assert!(function.routes().next().is_some(), "{function:?}");
        }
    }
}
