//! Rendering of accounts and list pages, where the data-shaped fault switches act.
//!
//! [`render`] turns one [`Account`] into its JSON; [`list_page`] cuts a page out of the set
//! and computes `hasMore`.

use serde_json::{Value, json};

use super::data::Account;
use super::fault::{Faults, Switch};
use super::request::PageRequest;

/// The account as the API serves it under `faults`.
pub(crate) fn render(account: &Account, faults: Faults) -> Value {
    let mut json = account.to_json();
    if faults.on(Switch::SubcategoryMismatch) && account.category() == "credit" {
        json["subcategory"] = json!("savings");
    }
    if faults.on(Switch::MissingAccountNumber)
        && let Some(sort_code) = json
            .pointer_mut("/financialAddress/sortCode")
            .and_then(Value::as_object_mut)
    {
        sort_code.remove("accountNumber");
    }
    json
}

/// The page `req` asks for: `accounts` and `hasMore`.
pub(crate) fn list_page(accounts: &[Account], req: PageRequest, faults: Faults) -> Value {
    let start = match req.skip {
        0 => 0,
        s if faults.on(Switch::SkipRepeats) => s - 1,
        s if faults.on(Switch::SkipGaps) => s.saturating_add(1),
        s => s,
    };
    let start = start.min(accounts.len());
    let end = start.saturating_add(req.limit).min(accounts.len());
    let mut items: Vec<Value> = accounts[start..end]
        .iter()
        .map(|a| render(a, faults))
        .collect();
    if faults.on(Switch::BadEnumValue)
        && let Some(first) = items.first_mut()
    {
        first["status"] = json!("connected");
    }
    let has_more = if faults.on(Switch::HasMoreAlwaysFalse) {
        false
    } else if faults.on(Switch::HasMoreOnLastPage) {
        end < accounts.len() || !items.is_empty()
    } else {
        end < accounts.len()
    };
    json!({ "accounts": items, "hasMore": has_more })
}

#[cfg(test)]
mod tests {
    use super::super::data::generate;
    use super::*;

    fn ids(page: &Value) -> Vec<&str> {
        page["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect()
    }

    fn faults(names: &[&str]) -> Faults {
        Faults::parse(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn consecutive_pages_tile_the_set() {
        let set = generate(1);
        let all: Vec<&str> = set.iter().map(|a| a.id.as_str()).collect();
        let mut walked = Vec::new();
        let mut skip = 0;
        loop {
            let page = list_page(&set, PageRequest { limit: 7, skip }, Faults::default());
            walked.extend(ids(&page).into_iter().map(str::to_owned));
            skip += 7;
            assert_eq!(page["hasMore"], skip < set.len());
            if page["hasMore"] == false {
                break;
            }
        }
        assert_eq!(walked, all);
    }

    #[test]
    fn a_page_past_the_end_is_empty_without_more() {
        let set = generate(1);
        let page = list_page(
            &set,
            PageRequest {
                limit: 10,
                skip: usize::MAX,
            },
            Faults::default(),
        );
        assert_eq!(page, json!({"accounts": [], "hasMore": false}));
    }

    #[test]
    fn skip_faults_shift_later_pages_only() {
        let set = generate(1);
        let req = |skip| PageRequest { limit: 2, skip };
        let good = list_page(&set, req(2), Faults::default());
        let repeat = list_page(&set, req(2), faults(&["skip-repeats"]));
        let gap = list_page(&set, req(2), faults(&["skip-gaps"]));
        assert_eq!(ids(&repeat)[0], set[1].id);
        assert_eq!(ids(&gap)[0], set[3].id);
        assert_eq!(ids(&good)[0], set[2].id);
        let first = list_page(&set, req(0), faults(&["skip-repeats", "skip-gaps"]));
        assert_eq!(ids(&first)[0], set[0].id);
    }

    #[test]
    fn has_more_faults() {
        let set = generate(1);
        let last = PageRequest {
            limit: 100,
            skip: 0,
        };
        let first = PageRequest { limit: 1, skip: 0 };
        assert_eq!(list_page(&set, last, Faults::default())["hasMore"], false);
        let on_last = faults(&["has-more-on-last-page"]);
        assert_eq!(list_page(&set, last, on_last)["hasMore"], true);
        let past = PageRequest {
            limit: 1,
            skip: set.len(),
        };
        assert_eq!(list_page(&set, past, on_last)["hasMore"], false);
        let never = faults(&["has-more-always-false"]);
        assert_eq!(list_page(&set, first, Faults::default())["hasMore"], true);
        assert_eq!(list_page(&set, first, never)["hasMore"], false);
    }

    #[test]
    fn data_faults_change_the_rendering() {
        let set = generate(1);
        let credit = set.iter().find(|a| a.category() == "credit").unwrap();
        assert_ne!(render(credit, Faults::default())["subcategory"], "savings");
        assert_eq!(
            render(credit, faults(&["subcategory-mismatch"]))["subcategory"],
            "savings"
        );
        let uk = set
            .iter()
            .find(|a| {
                a.financial_address
                    .as_ref()
                    .is_some_and(|f| f["type"] == "sortCode")
            })
            .unwrap();
        let ptr = "/financialAddress/sortCode/accountNumber";
        assert!(render(uk, Faults::default()).pointer(ptr).is_some());
        assert!(
            render(uk, faults(&["missing-account-number"]))
                .pointer(ptr)
                .is_none()
        );
        let page = list_page(
            &set,
            PageRequest { limit: 3, skip: 0 },
            faults(&["bad-enum-value"]),
        );
        assert_eq!(page["accounts"][0]["status"], "connected");
        assert_ne!(page["accounts"][1]["status"], "connected");
    }
}
