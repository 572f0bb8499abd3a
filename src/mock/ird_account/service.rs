//! The two operations of the Account API as plain functions from a request (the
//! `Authorization` value and the body bytes) to a [`Reply`], so they can be tested without HTTP.
//!
//! The main type is [`Registry`]: the data set, the token and the fault switches.

use serde_json::{Map, Value, json};

use super::access::{self, Caller};
use super::data::{self, Account, Customer};
use super::error::{Code, Reply};
use super::fault::{Faults, Switch};

/// Everything an operation needs.
#[derive(Debug)]
pub(crate) struct Registry {
    pub(crate) token: String,
    pub(crate) customers: Vec<Customer>,
    pub(crate) faults: Faults,
}

/// A string field of the request with the Swagger file's length bounds and enumeration.
struct Field {
    name: &'static str,
    min: usize,
    max: usize,
    one_of: &'static [&'static str],
}

const CUSTOMER_ID: Field = Field {
    name: "CustomerID",
    min: 9,
    max: 10,
    one_of: &[],
};
const CUSTOMER_ID_TYPE: Field = Field {
    name: "CustomerIDType",
    min: 3,
    max: 3,
    one_of: &["IRD", "CST"],
};
const ACCOUNT_ID: Field = Field {
    name: "AccountID",
    min: 7,
    max: 15,
    one_of: &[],
};
const ACCOUNT_ID_TYPE: Field = Field {
    name: "AccountIDType",
    min: 3,
    max: 6,
    one_of: &["ACC", "CMPF", "KSF"],
};

impl Registry {
    pub(crate) fn new(token: &str, data_seed: u64, faults: Faults) -> Self {
        Registry {
            token: token.into(),
            customers: data::generate(data_seed),
            faults,
        }
    }

    /// `POST /list`: the accounts of one customer that the caller may see.
    pub(crate) fn list(&self, authorization: Option<&str>, body: &[u8]) -> Reply {
        self.list_inner(authorization, body)
            .unwrap_or_else(|(code, field)| Reply::error(code, field, self.faults))
    }

    /// `POST /account`: one account.
    pub(crate) fn account(&self, authorization: Option<&str>, body: &[u8]) -> Reply {
        self.account_inner(authorization, body)
            .unwrap_or_else(|(code, field)| Reply::error(code, field, self.faults))
    }

    fn list_inner(&self, authorization: Option<&str>, body: &[u8]) -> Result<Reply, Failure> {
        let f = self.faults;
        let caller = self.caller(authorization)?;
        let request = object(body)?;
        let id = string(&request, &CUSTOMER_ID)?;
        let id_type = if f.on(Switch::IdTypeNotValidated) {
            match request.get(CUSTOMER_ID_TYPE.name) {
                Some(Value::String(s)) if s == "CST" => "CST".to_string(),
                _ => "IRD".to_string(),
            }
        } else {
            string(&request, &CUSTOMER_ID_TYPE)?
        };
        let customer = if id_type == "IRD" {
            if !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err((Code::Ev1100, Some(CUSTOMER_ID.name)));
            }
            let ird = format!("{:0>9}", id.trim_start_matches('0'));
            if !data::ird_valid(&ird) && !f.on(Switch::CheckDigitNotValidated) {
                return Err((Code::Ev2234, None));
            }
            self.customers.iter().find(|c| c.ird == ird)
        } else {
            self.customers
                .iter()
                .find(|c| c.cst.as_deref() == Some(id.as_str()))
        };
        let Some(customer) = customer else {
            if f.on(Switch::UnknownCustomerEmpty) {
                return Ok(Reply::ok(json!({ "Accounts": [] })));
            }
            return Err((Code::Cst404, None));
        };
        if !caller.may_list(customer, f) {
            return Err((Code::Ev1022, None));
        }
        let id_type = if f.on(Switch::ListIdTypeWrong) {
            "KSF"
        } else {
            data::ID_TYPE
        };
        let accounts: Vec<Value> = customer
            .accounts
            .iter()
            .filter(|a| a.eligible && caller.may_see(customer, a, f))
            .map(|a| json!({ "ID": a.id, "IDType": id_type }))
            .collect();
        Ok(Reply::ok(json!({ "Accounts": accounts })))
    }

    fn account_inner(&self, authorization: Option<&str>, body: &[u8]) -> Result<Reply, Failure> {
        let f = self.faults;
        let caller = self.caller(authorization)?;
        let request = object(body)?;
        let id = string(&request, &ACCOUNT_ID)?;
        let id_type = match request.get(ACCOUNT_ID_TYPE.name) {
            None if f.on(Switch::AccountIdTypeDefaulted) => data::ID_TYPE.to_owned(),
            _ => string(&request, &ACCOUNT_ID_TYPE)?,
        };
        let found = self.customers.iter().find_map(|c| {
            c.accounts
                .iter()
                .find(|a| a.id == id && id_type == data::ID_TYPE)
                .map(|a| (c, a))
        });
        let Some((customer, mut account)) = found else {
            return Err((Code::Cst404, None));
        };
        if f.on(Switch::AccountIdIgnored) {
            account = customer.accounts.first().unwrap_or(account);
        }
        if !caller.may_see(customer, account, f) {
            return Err((Code::Ev1022, None));
        }
        if !account.eligible && !f.on(Switch::IneligibleAccountServed) {
            return Err((Code::Act100, None));
        }
        Ok(Reply::ok(json!({ "Account": self.render(account) })))
    }

    fn caller(&self, authorization: Option<&str>) -> Result<Caller, Failure> {
        access::identify(authorization, &self.token, self.faults).map_err(|code| (code, None))
    }

    /// The account as JSON, with the response-shape faults applied.
    fn render(&self, account: &Account) -> Value {
        let f = self.faults;
        let mut json = account.to_json();
        let obj = json.as_object_mut().expect("an object");
        if f.on(Switch::MissingFilingFrequency) {
            obj.remove("FilingFrequency");
        }
        if f.on(Switch::BadStatusValue) {
            obj.insert("Status".into(), "ACTIVE".into());
        }
        if f.on(Switch::CeaseBeforeCommence) {
            let year: u32 = account.commence[..4].parse().unwrap_or(2000);
            let cease = format!("{}{}", year - 1, &account.commence[4..]);
            obj.insert("Cease".into(), cease.into());
        }
        json
    }
}

/// An error code and, for EV1100, the offending field.
type Failure = (Code, Option<&'static str>);

/// The body as a JSON object, or EV1100.
fn object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err((Code::Ev1100, Some("body"))),
    }
}

/// A mandatory string field within its bounds and enumeration, or EV1100 naming it.
fn string(request: &Map<String, Value>, field: &Field) -> Result<String, Failure> {
    let invalid = (Code::Ev1100, Some(field.name));
    let Some(Value::String(s)) = request.get(field.name) else {
        return Err(invalid);
    };
    let len = s.chars().count();
    if len < field.min || len > field.max {
        return Err(invalid);
    }
    if !field.one_of.is_empty() && !field.one_of.contains(&s.as_str()) {
        return Err(invalid);
    }
    Ok(s.clone())
}
