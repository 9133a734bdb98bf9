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
    Office,
    ActivationLetter,
}

impl Function {
    pub const ALL: [Function; 17] = [
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
        Function::Office,
        Function::ActivationLetter,
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
            Function::Office => "office",
            Function::ActivationLetter => "activation-letter",
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
    /// The show-password control's script (the only script: every page works without it).
    ShowPasswordScript,
    Login,
    LoginSubmit,
    ForgottenUsername,
    ForgottenUsernameSubmit,
    ForgottenPassword,
    ForgottenPasswordSubmit,
    RecoveryCode,
    RecoveryCodeSubmit,
    RecoverySecondKey,
    RecoverySecondKeySubmit,
    RecoveryNewPassword,
    RecoveryNewPasswordSubmit,
    RecoveryOffice,
    RecoveryDone,
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
    Profile,
    ProfileLanguage,
    ProfileEmail,
    ProfileEmailSubmit,
    ProfileEmailVerify,
    ProfileEmailVerifySubmit,
    PasswordChange,
    PasswordChangeSubmit,
    Info,
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
    /// The registration office's console (officers only).
    OfficeLogin,
    OfficeLoginSubmit,
    OfficeSignOut,
    OfficeHome,
    OfficeFind,
    OfficeCitizen,
    OfficeUnlock,
    OfficeIssue,
    OfficeRevoke,
    OfficeEnrol,
    OfficeEnrolSubmit,
    /// The citizen's activation with the letter's link and code.
    Activation,
    ActivationSubmit,
    ActivationAccount,
    ActivationAccountSubmit,
}

/// What a route is, as one row of the routes table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub route: Route,
    pub method: Method,
    pub path: &'static str,
    pub function: Function,
    /// The handler module under `steps::` (or `web` for the stylesheet).
    pub module: &'static str,
    /// The step id of the page it shows or acts on (shared/ARCHITECTURE.md §4); `-` for none.
    pub step: &'static str,
}

const fn row(
    route: Route,
    method: Method,
    path: &'static str,
    function: Function,
    module: &'static str,
    step: &'static str,
) -> Spec {
    Spec {
        route,
        method,
        path,
        function,
        module,
        step,
    }
}

use Function as F;
use Method::{Get, Post};

/// The routes table: one row per route, in the order of [`Route`] (checked when it compiles).
#[rustfmt::skip]
pub const TABLE: [Spec; 87] = [
    row(Route::Home,                   Get,  "/",                                F::Login,          "login",                    "-"),
    row(Route::Stylesheet,             Get,  "/assets/style.css",                F::Login,          "web",                      "-"),
    row(Route::ShowPasswordScript,     Get,  "/assets/show-password.js",         F::Login,          "web",                      "-"),
    row(Route::Login,                  Get,  "/login",                           F::Login,          "login",                    "login"),
    row(Route::LoginSubmit,            Post, "/login",                           F::Login,          "login",                    "login"),
    row(Route::ForgottenUsername,      Get,  "/login/forgotten-username",        F::Login,          "forgotten_username",       "login.forgotten_username"),
    row(Route::ForgottenUsernameSubmit, Post, "/login/forgotten-username",       F::Login,          "forgotten_username",       "login.forgotten_username"),
    row(Route::ForgottenPassword,      Get,  "/login/forgotten-password",        F::Login,          "forgotten_password",       "login.forgotten_password"),
    row(Route::ForgottenPasswordSubmit, Post, "/login/forgotten-password",       F::Login,          "forgotten_password",       "login.forgotten_password"),
    row(Route::RecoveryCode,           Get,  "/login/forgotten-password/code",   F::Login,          "forgotten_password",       "login.forgotten_password.code"),
    row(Route::RecoveryCodeSubmit,     Post, "/login/forgotten-password/code",   F::Login,          "forgotten_password",       "login.forgotten_password.code"),
    row(Route::RecoverySecondKey,      Get,  "/login/forgotten-password/second-key", F::Login,      "forgotten_password",       "login.forgotten_password.second_key"),
    row(Route::RecoverySecondKeySubmit, Post, "/login/forgotten-password/second-key", F::Login,     "forgotten_password",       "login.forgotten_password.second_key"),
    row(Route::RecoveryNewPassword,    Get,  "/login/forgotten-password/new-password", F::Login,    "forgotten_password",       "login.forgotten_password.new_password"),
    row(Route::RecoveryNewPasswordSubmit, Post, "/login/forgotten-password/new-password", F::Login, "forgotten_password",       "login.forgotten_password.new_password"),
    row(Route::RecoveryOffice,         Get,  "/login/forgotten-password/office", F::Login,          "forgotten_password",       "login.forgotten_password.office"),
    row(Route::RecoveryDone,           Get,  "/login/forgotten-password/done",   F::Login,          "forgotten_password",       "login.forgotten_password.done"),
    row(Route::LoginToken,             Get,  "/login/token",                     F::LoginToken,     "login_token",              "login.token"),
    row(Route::LoginTokenSubmit,       Post, "/login/token",                     F::LoginToken,     "login_token",              "login.token"),
    row(Route::TokenNotice,            Get,  "/login/token/notice",              F::LoginToken,     "login_token",              "login.token.notice"),
    row(Route::TokenNoticeActivate,    Post, "/login/token/notice/activate",     F::LoginToken,     "login_token",              "login.token.notice"),
    row(Route::TokenNoticeOtherKey,    Post, "/login/token/notice/other-key",    F::LoginToken,     "login_token",              "login.token.notice"),
    row(Route::TokenNoticeClose,       Post, "/login/token/notice/close",        F::LoginToken,     "login_token",              "login.token.notice"),
    row(Route::TokenUnavailable,       Get,  "/login/token/unavailable",         F::LoginToken,     "login_token",              "login.token.unavailable"),
    row(Route::LoginEmail,             Get,  "/login/email",                     F::LoginEmail,     "login_email",              "login.email"),
    row(Route::LoginEmailSubmit,       Post, "/login/email",                     F::LoginEmail,     "login_email",              "login.email"),
    row(Route::LoginEmailResend,       Post, "/login/email/resend",              F::LoginEmail,     "login_email",              "login.email"),
    row(Route::LoginApp,               Get,  "/login/app",                       F::LoginApp,       "login_app",                "login.app"),
    row(Route::LoginAppSubmit,         Post, "/login/app",                       F::LoginApp,       "login_app",                "login.app"),
    row(Route::MyKeys,                 Get,  "/keys",                            F::MyKeys,         "my_keys",                  "keys"),
    row(Route::MyKeysActivate,         Post, "/keys/activate",                   F::MyKeys,         "my_keys",                  "keys"),
    row(Route::MyKeysSignOut,          Post, "/keys/sign-out",                   F::MyKeys,         "my_keys",                  "keys"),
    row(Route::Profile,                Get,  "/profile",                         F::MyKeys,         "profile",                  "profile"),
    row(Route::ProfileLanguage,        Post, "/profile/language",                F::MyKeys,         "profile",                  "profile"),
    row(Route::ProfileEmail,           Get,  "/profile/email",                   F::MyKeys,         "profile",                  "profile.email"),
    row(Route::ProfileEmailSubmit,     Post, "/profile/email",                   F::MyKeys,         "profile",                  "profile.email"),
    row(Route::ProfileEmailVerify,     Get,  "/profile/email/verify",            F::MyKeys,         "profile",                  "profile.email.verify"),
    row(Route::ProfileEmailVerifySubmit, Post, "/profile/email/verify",          F::MyKeys,         "profile",                  "profile.email.verify"),
    row(Route::PasswordChange,         Get,  "/profile/password",                F::MyKeys,         "profile",                  "profile.password"),
    row(Route::PasswordChangeSubmit,   Post, "/profile/password",                F::MyKeys,         "profile",                  "profile.password"),
    row(Route::Info,                   Get,  "/info",                            F::MyKeys,         "info",                     "info"),
    row(Route::LoggedOut,              Get,  "/logged-out",                      F::MyKeys,         "my_keys",                  "logged_out"),
    row(Route::ConfirmEmail,           Get,  "/activate/confirm-email",                  F::ConfirmEmail,   "confirm_email",            "activate.email"),
    row(Route::ConfirmEmailConfirm,    Post, "/activate/confirm-email/confirm",          F::ConfirmEmail,   "confirm_email",            "activate.email"),
    row(Route::ConfirmEmailChange,     Post, "/activate/confirm-email/change",           F::ConfirmEmail,   "confirm_email",            "activate.email"),
    row(Route::VerifyEmail,            Get,  "/activate/confirm-email/verify",           F::ConfirmEmail,   "confirm_email",            "activate.email.verify"),
    row(Route::VerifyEmailSubmit,      Post, "/activate/confirm-email/verify",           F::ConfirmEmail,   "confirm_email",            "activate.email.verify"),
    row(Route::VerifyEmailCancel,      Post, "/activate/confirm-email/verify/cancel",    F::ConfirmEmail,   "confirm_email",            "activate.email.verify"),
    row(Route::SelectKey,              Get,  "/activate/select",                 F::SelectKey,      "select_key",               "activate.select"),
    row(Route::SelectKeySubmit,        Post, "/activate/select",                 F::SelectKey,      "select_key",               "activate.select"),
    row(Route::ActivateEmail,          Get,  "/activate/email-code",             F::ActivateEmail,  "activate_email",           "activate.email_code"),
    row(Route::ActivateEmailSubmit,    Post, "/activate/email-code",             F::ActivateEmail,  "activate_email",           "activate.email_code"),
    row(Route::ActivateEmailResend,    Post, "/activate/email-code/resend",      F::ActivateEmail,  "activate_email",           "activate.email_code"),
    row(Route::ActivateEmailCancel,    Post, "/activate/email-code/cancel",      F::ActivateEmail,  "activate_email",           "activate.email_code"),
    row(Route::InstallApp,             Get,  "/activate/app/install",            F::ActivateApp,    "activate_app",             "activate.app.install"),
    row(Route::InstallAppNext,         Post, "/activate/app/install",            F::ActivateApp,    "activate_app",             "activate.app.install"),
    row(Route::PairApp,                Get,  "/activate/app/pair",               F::ActivateApp,    "activate_app",             "activate.app.pair"),
    row(Route::PairAppSubmit,          Post, "/activate/app/pair",               F::ActivateApp,    "activate_app",             "activate.app.pair"),
    row(Route::Confirmation,           Get,  "/activate/done",                   F::Confirmation,   "confirmation",             "activate.done"),
    row(Route::ConfirmationEndSession, Post, "/activate/done/end-session",       F::Confirmation,   "confirmation",             "activate.done"),
    row(Route::OidcConfiguration,      Get,  "/.well-known/openid-configuration", F::OidcDiscovery,  "keys_oidc::discovery",     "-"),
    row(Route::OidcJwks,               Get,  "/oidc/jwks",                       F::OidcDiscovery,  "keys_oidc::discovery",     "-"),
    row(Route::OidcAuthorize,          Get,  "/oidc/authorize",                  F::OidcAuthorize,  "keys_oidc::authorize",     "-"),
    row(Route::OidcAuthorizePost,      Post, "/oidc/authorize",                  F::OidcAuthorize,  "keys_oidc::authorize",     "-"),
    row(Route::OidcResume,             Get,  "/oidc/authorize/resume",           F::OidcAuthorize,  "keys_oidc::authorize",     "-"),
    row(Route::OidcCancel,             Get,  "/oidc/authorize/cancel",           F::OidcAuthorize,  "keys_oidc::authorize",     "-"),
    row(Route::OidcToken,              Post, "/oidc/token",                      F::OidcToken,      "keys_oidc::token",         "-"),
    row(Route::OidcUserinfo,           Get,  "/oidc/userinfo",                   F::OidcUserinfo,   "keys_oidc::userinfo",      "-"),
    row(Route::OidcUserinfoPost,       Post, "/oidc/userinfo",                   F::OidcUserinfo,   "keys_oidc::userinfo",      "-"),
    row(Route::OidcLogout,             Get,  "/oidc/logout",                     F::OidcLogout,     "keys_oidc::logout",        "oidc.logout"),
    row(Route::OidcLogoutPost,         Post, "/oidc/logout",                     F::OidcLogout,     "keys_oidc::logout",        "oidc.logout"),
    row(Route::OidcLogoutConfirm,      Post, "/oidc/logout/confirm",             F::OidcLogout,     "keys_oidc::logout",        "oidc.logout"),
    row(Route::OfficeLogin,            Get,  "/office/login",                    F::Office,         "office",                   "office.login"),
    row(Route::OfficeLoginSubmit,      Post, "/office/login",                    F::Office,         "office",                   "office.login"),
    row(Route::OfficeSignOut,          Post, "/office/sign-out",                 F::Office,         "office",                   "office.login"),
    row(Route::OfficeHome,             Get,  "/office",                          F::Office,         "office",                   "office.find"),
    row(Route::OfficeFind,             Post, "/office/find",                     F::Office,         "office",                   "office.find"),
    row(Route::OfficeCitizen,          Get,  "/office/citizen",                  F::Office,         "office",                   "office.citizen"),
    row(Route::OfficeUnlock,           Post, "/office/citizen/unlock",           F::Office,         "office",                   "office.citizen"),
    row(Route::OfficeIssue,            Post, "/office/citizen/letter",           F::Office,         "office",                   "office.letter"),
    row(Route::OfficeRevoke,           Post, "/office/citizen/letter/revoke",    F::Office,         "office",                   "office.citizen"),
    row(Route::OfficeEnrol,            Get,  "/office/enrol",                    F::Office,         "office",                   "office.enrol"),
    row(Route::OfficeEnrolSubmit,      Post, "/office/enrol",                    F::Office,         "office",                   "office.enrol"),
    row(Route::Activation,             Get,  "/activation",                      F::ActivationLetter, "activation_letter",      "activation"),
    row(Route::ActivationSubmit,       Post, "/activation",                      F::ActivationLetter, "activation_letter",      "activation"),
    row(Route::ActivationAccount,      Get,  "/activation/account",              F::ActivationLetter, "activation_letter",      "activation.account"),
    row(Route::ActivationAccountSubmit, Post, "/activation/account",             F::ActivationLetter, "activation_letter",      "activation.account"),
];

// Each row sits at its route's place, so a route finds its row by index.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        assert!(
            TABLE[i].route as usize == i,
            "the routes table is out of the enum's order"
        );
        i += 1;
    }
};

impl Route {
    /// Every route, in the table's order.
    pub const ALL: [Route; 87] = {
        let mut all = [Route::Home; 87];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].route;
            i += 1;
        }
        all
    };

    /// The route's row of the routes table.
    pub const fn spec(self) -> Spec {
        TABLE[self as usize]
    }

    /// The step id of the page the route shows or acts on (`-` for none).
    pub const fn step(self) -> &'static str {
        self.spec().step
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
