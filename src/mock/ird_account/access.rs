//! Who is calling and what they may see: the caller is named by the bearer token, and each kind
//! of caller the Account API admits has its own rule.
//!
//! The main type is [`Caller`]. The mock knows one secret, the customer's own token `T`; the
//! other callers' tokens are derived from it: `T.delegate`, `T.agent`, `T.agency` and
//! `T.stranger` (see [`SUFFIXES`]).

use super::data::{Account, Customer};
use super::error::Code;
use super::fault::{Faults, Switch};

/// A caller the mock recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// The persona customer itself: all of its own accounts, nobody else's.
    Customer,
    /// A user with delegated access to some of the persona customer's accounts.
    Delegate,
    /// An intermediary (tax agent) linked to some customers, the persona among them.
    Agent,
    /// A government agency whose memorandum of understanding covers most customers.
    Agency,
    /// An authenticated user without any access.
    Stranger,
}

/// The token suffix of each caller other than the customer.
pub(crate) const SUFFIXES: [(&str, Caller); 4] = [
    (".delegate", Caller::Delegate),
    (".agent", Caller::Agent),
    (".agency", Caller::Agency),
    (".stranger", Caller::Stranger),
];

/// The caller of a request from its `Authorization` header: `Bearer <token>`, or the bare
/// token, which Inland Revenue accepts for self-issued JWTs.
pub(crate) fn identify(
    authorization: Option<&str>,
    token: &str,
    faults: Faults,
) -> Result<Caller, Code> {
    let presented = authorization
        .map(|v| match v.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => v.trim(),
        })
        .filter(|t| !t.is_empty());
    let Some(presented) = presented else {
        return if faults.on(Switch::NoAuth) {
            Ok(Caller::Customer)
        } else {
            Err(Code::Ev1021)
        };
    };
    if presented == token {
        return Ok(Caller::Customer);
    }
    let derived = presented.strip_prefix(token).and_then(|rest| {
        SUFFIXES
            .iter()
            .find(|(suffix, _)| *suffix == rest)
            .map(|(_, c)| *c)
    });
    match derived {
        Some(caller) => Ok(caller),
        None if faults.on(Switch::NoAuth) => Ok(Caller::Customer),
        None if faults.on(Switch::InvalidTokenWrongCode) => Err(Code::Ev1021),
        None => Err(Code::Ev1020),
    }
}

impl Caller {
    /// Whether the caller may ask for the customer's account list.
    pub(crate) fn may_list(self, customer: &Customer, faults: Faults) -> bool {
        match self {
            Caller::Customer => customer.own || faults.on(Switch::OtherCustomerVisible),
            Caller::Delegate => customer.own,
            Caller::Agent => customer.agent_linked && !faults.on(Switch::AgentDenied),
            Caller::Agency => customer.mou && !faults.on(Switch::AgencyDenied),
            Caller::Stranger => faults.on(Switch::StrangerGetsData),
        }
    }

    /// Whether the caller may see this account of the customer.
    pub(crate) fn may_see(self, customer: &Customer, account: &Account, faults: Faults) -> bool {
        match self {
            Caller::Delegate => {
                customer.own && (account.delegated || faults.on(Switch::DelegateSeesAll))
            }
            other => other.may_list(customer, faults),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "secret";

    #[test]
    fn tokens_name_their_callers() {
        let f = Faults::default();
        assert_eq!(identify(Some("Bearer secret"), T, f), Ok(Caller::Customer));
        assert_eq!(identify(Some("bearer secret"), T, f), Ok(Caller::Customer));
        assert_eq!(identify(Some("secret"), T, f), Ok(Caller::Customer));
        assert_eq!(
            identify(Some("Bearer secret.delegate"), T, f),
            Ok(Caller::Delegate)
        );
        assert_eq!(
            identify(Some("Bearer secret.agent"), T, f),
            Ok(Caller::Agent)
        );
        assert_eq!(
            identify(Some("Bearer secret.agency"), T, f),
            Ok(Caller::Agency)
        );
        assert_eq!(
            identify(Some("Bearer secret.stranger"), T, f),
            Ok(Caller::Stranger)
        );
    }

    #[test]
    fn missing_and_unknown_tokens_get_their_codes() {
        let f = Faults::default();
        assert_eq!(identify(None, T, f), Err(Code::Ev1021));
        assert_eq!(identify(Some("Bearer "), T, f), Err(Code::Ev1021));
        assert_eq!(identify(Some("Bearer other"), T, f), Err(Code::Ev1020));
        assert_eq!(
            identify(Some("Bearer secret.admin"), T, f),
            Err(Code::Ev1020)
        );
        assert_eq!(identify(Some("Bearer secretx"), T, f), Err(Code::Ev1020));
    }
}
