//! What a key method is: its part in the login and in the wizard (the traits those flows hand a method in by), with the names its pages show.

use crate::flows::login::LoginMethod;
use crate::flows::wizard::ActivationMethod;

/// A kind of digital key, as the pages and the flows use it: the login's part
/// ([`LoginMethod`]), the wizard's ([`ActivationMethod`]) and its names.
pub trait KeyMethod: LoginMethod + ActivationMethod {
    /// The translation id of the key's name.
    fn name_id(&self) -> &'static str;
    /// The translation id of its one-line description on the login and select pages.
    fn hint_id(&self) -> &'static str;
}
