//! The successful Get Accounts response: filtering, standard pagination, links and meta.
//!
//! The main function is [`list_page`], which turns the account set and a validated
//! [`ListQuery`] into a ResponseBankingAccountListV2, or a 422 Invalid Page.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::data::Account;
use super::error::{CdsError, Code};
use super::fault::{Faults, Switch};
use super::request::{CURSOR_PREFIX, ListQuery, SUPPORTED_VERSION};

/// Where the request was sent, to build fully qualified links.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Scheme and authority, e.g. `http://127.0.0.1:8080`.
    pub(crate) origin: String,
    pub(crate) path: String,
    /// The raw query string as sent, without `?`.
    pub(crate) query: Option<String>,
}

/// Filters `accounts`, cuts out the requested page and renders the response.
pub(crate) fn list_page(
    accounts: &[Account],
    query: &ListQuery,
    target: &Target,
    faults: Faults,
) -> Result<Response, CdsError> {
    let selected: Vec<&Account> = accounts
        .iter()
        .filter(|a| matches(a, query, faults))
        .collect();
    let total = selected.len() as u64;
    let size = query.page_size;
    let total_pages = total.div_ceil(size);
    if total_pages > 0 && query.page > total_pages && !faults.on(Switch::InvalidPageAccepted) {
        return Err(CdsError::new(
            Code::FieldInvalidPage,
            total_pages.to_string(),
        ));
    }
    let mut start = (query.page - 1).saturating_mul(size);
    if query.page > 1 && faults.on(Switch::DuplicateAcrossPages) {
        start -= 1;
    }
    let records: &[&Account] = match usize::try_from(start) {
        Ok(start) if start < selected.len() => {
            let end = start.saturating_add(size as usize).min(selected.len());
            &selected[start..end]
        }
        _ => &[],
    };
    let body = json!({
        "data": { "accounts": render_accounts(records, faults) },
        "links": links(query, target, total_pages, faults),
        "meta": meta(total, records.len() as u64, total_pages, size, faults),
    });
    let content_type = if faults.on(Switch::WrongContentType) {
        "text/plain"
    } else {
        "application/json"
    };
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_string(),
    )
        .into_response();
    let version = if faults.on(Switch::WrongVersionHeader) {
        Some(SUPPORTED_VERSION - 1)
    } else if faults.on(Switch::NoVersionHeader) {
        None
    } else {
        Some(SUPPORTED_VERSION)
    };
    if let Some(v) = version {
        response.headers_mut().insert("x-v", HeaderValue::from(v));
    }
    Ok(response)
}

/// Applies the filters; absent openStatus counts as OPEN and absent isOwned as true, as the
/// BankingAccountV2 field descriptions say.
fn matches(account: &Account, query: &ListQuery, faults: Faults) -> bool {
    let category = query.product_category.is_none_or(|c| {
        faults.on(Switch::FilterIgnoredProductCategory) || account.product_category == c
    });
    let status = query
        .open_status
        .is_none_or(|s| faults.on(Switch::FilterIgnoredOpenStatus) || account.status() == s);
    let owned = query
        .is_owned
        .is_none_or(|o| faults.on(Switch::FilterIgnoredIsOwned) || account.owned() == o);
    category && status && owned
}

fn render_accounts(records: &[&Account], faults: Faults) -> Vec<Value> {
    let mut rendered: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(i, account)| {
            let mut value = serde_json::to_value(account).unwrap_or_default();
            if let Some(fields) = value.as_object_mut() {
                if i == 0 && faults.on(Switch::BadEnumValue) {
                    fields.insert("productCategory".into(), "SAVINGS".into());
                }
                if faults.on(Switch::MissingRequiredField) {
                    fields.remove("maskedNumber");
                }
                if faults.on(Switch::NonAsciiAccountId) {
                    fields.insert(
                        "accountId".into(),
                        format!("{}é", account.account_id).into(),
                    );
                }
            }
            value
        })
        .collect();
    if faults.on(Switch::BadCreationDate)
        && let Some(Value::String(date)) =
            rendered.iter_mut().find_map(|a| a.get_mut("creationDate"))
    {
        let parts: Vec<String> = date.split('-').map(str::to_owned).collect();
        if let [y, m, d] = &parts[..] {
            *date = format!("{d}/{m}/{y}");
        }
    }
    rendered
}

/// The LinksPaginated object: `self` always, `first`/`prev` unless this is the first page,
/// `next`/`last` unless it is the last (an empty set's only page counts as the last).
fn links(query: &ListQuery, target: &Target, total_pages: u64, faults: Faults) -> Value {
    let mut links = Map::new();
    let path_and_query = match &target.query {
        Some(q) if !q.is_empty() => format!("{}?{q}", target.path),
        _ => target.path.clone(),
    };
    let page = query.page;
    let self_link = if faults.on(Switch::RelativeSelfLink) {
        path_and_query
    } else if faults.on(Switch::SelfLinkWrongPage) {
        page_link(query, target, 1, faults)
    } else {
        format!("{}{path_and_query}", target.origin)
    };
    links.insert("self".into(), self_link.into());
    let is_first = page == 1;
    let is_last = page >= total_pages;
    let to = |n: u64| Value::from(page_link(query, target, n, faults));
    if !is_first && !faults.on(Switch::MissingFirstLink) {
        links.insert("first".into(), to(1));
    }
    let prev = (page - 1).min(total_pages.max(1));
    if !is_first && faults.on(Switch::CursorPrevLinkWrongPage) {
        let back = prev.saturating_sub(1).max(1);
        links.insert("prev".into(), cursor_link(query, target, back).into());
    } else if !is_first && faults.on(Switch::PrevLinkWrongPage) {
        links.insert("prev".into(), to(prev.saturating_sub(1).max(1)));
    } else if !is_first && !faults.on(Switch::MissingPrevLink) {
        links.insert("prev".into(), to(prev));
    } else if is_first && faults.on(Switch::PrevLinkOnFirstPage) {
        links.insert("prev".into(), to(0));
    }
    if !is_last && !faults.on(Switch::MissingNextLink) {
        links.insert("next".into(), to(page + 1));
    } else if is_last && faults.on(Switch::NextLinkLoops) {
        links.insert("next".into(), to(1));
    } else if is_last && faults.on(Switch::NextLinkOnLastPage) {
        links.insert("next".into(), to(page + 1));
    }
    if !is_last && !faults.on(Switch::MissingLastLink) {
        links.insert("last".into(), to(total_pages));
    }
    Value::Object(links)
}

/// A fully qualified link that keeps the request's filters and page-size and names page `n` by
/// an opaque cursor instead of the page number.
fn cursor_link(query: &ListQuery, target: &Target, n: u64) -> String {
    let mut params = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &query.carried {
        params.append_pair(name, value);
    }
    params.append_pair("cursor", &format!("{CURSOR_PREFIX}{n}"));
    format!("{}{}?{}", target.origin, target.path, params.finish())
}

/// A fully qualified link to page `n` that keeps the request's filters and page-size.
fn page_link(query: &ListQuery, target: &Target, n: u64, faults: Faults) -> String {
    let mut params = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &query.carried {
        if *name != "page-size" && faults.on(Switch::LinksDropFilters) {
            continue;
        }
        params.append_pair(name, value);
    }
    params.append_pair("page", &n.to_string());
    format!("{}{}?{}", target.origin, target.path, params.finish())
}

fn meta(total: u64, on_page: u64, total_pages: u64, size: u64, faults: Faults) -> Value {
    let records = if faults.on(Switch::WrongTotalRecords) {
        on_page
    } else {
        total
    };
    let records = if faults.on(Switch::WrongType) {
        Value::from(records.to_string())
    } else {
        Value::from(records)
    };
    let pages = if faults.on(Switch::WrongTotalPages) {
        total / size
    } else {
        total_pages
    };
    json!({ "totalRecords": records, "totalPages": pages })
}
