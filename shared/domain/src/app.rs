//! The `App`: the ports and settings every handler and flow uses (the wiring is `crate::wiring`'s).

use crate::clock::Clock;
use crate::config::Settings;
use crate::mailer::Mailer;
use crate::secrets::Secrets;
use crate::store::Store;
use std::sync::Arc;
/// The ports and settings handed to every handler.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    pub secrets: Arc<dyn Secrets>,
    pub settings: Arc<Settings>,
    /// Notification mails are delivered by this process right after their transaction (the local
    /// runner); in Lambda the table's stream feeds `mail-dispatch` instead.
    pub deliver_in_process: bool,
}
