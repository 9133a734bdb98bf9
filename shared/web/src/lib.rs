//! The web layer: step handlers, views (askama HTML or the JSON contract), translations, e-mails and the HTTP glue.

pub mod i18n;
pub mod mails;
pub mod refusal;
pub mod steps;
pub mod view;
pub mod web;
