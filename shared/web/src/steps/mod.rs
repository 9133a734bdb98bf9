//! The step handlers (load state, call a flow transition, run its effects, render), which the functions mount, and what they share.

pub mod activate_app;
pub mod activate_email;
pub mod activation_letter;
pub mod confirm_email;
pub mod confirmation;
pub mod effects;
pub mod forgotten_password;
pub mod forgotten_username;
pub mod info;
pub mod login;
pub mod login_app;
pub mod login_email;
pub mod login_page;
pub mod login_token;
pub mod my_keys;
pub mod office;
pub mod profile;
pub mod request;
pub mod run_login;
pub mod run_wizard;
pub mod select_key;
pub mod views;
