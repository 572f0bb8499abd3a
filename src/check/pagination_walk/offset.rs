//! The `offset` and `cursor` styles over a whole walk:
//! - no page holds more records than the page size (the default when none was asked for);
//! - `offset`: a page that says more records follow holds the full page size (the next page
//!   starts at offset + size, so a short page would skip records), and a page after one that
//!   said more follow is not empty;
//! - a declared total count is the same on every page and equals the records the walk saw.
//!
//! Without a total, completeness is proven by comparing with a reference walk
//! (`same_as_previous`, in the common rules).

use serde_json::Value;

use super::{Ended, Judge};
use crate::finding::Where;
use crate::suite::protocol::pagination::Style;
use crate::suite::protocol::pagination::walk_record::{End, Page};

/// What the `offset` and `cursor` rules keep between pages.
#[derive(Default)]
pub(super) struct State {
    /// The page before said more records follow.
    said_more: bool,
    /// The declared total the first page that gave one gave.
    total: Option<u64>,
}

/// The rules of one page.
pub(super) fn page(state: &mut State, j: &mut Judge<'_>, page: &Page) {
    if !page.ok() {
        return;
    }
    let decl = j.cx.decl;
    let size = match decl.style {
        Style::Cursor if decl.size_param().is_none() => None,
        _ => Some(j.setup.size),
    };
    let which = match j.setup.sent_size {
        Some(s) => format!("page size {s}"),
        None => format!("the default page size {}", j.setup.size),
    };
    let more = decl.more.clone().unwrap_or_default();
    let n = page.number;
    let Some(held) = page.records() else { return };
    let held = held as u64;
    let at = Where::body(&decl.items);
    if let Some(size) = size
        && held > size
    {
        j.mismatch(
            "page-size",
            n,
            at.clone(),
            format!("page {n} holds {held} records, more than {which}"),
            format!("at most {size}"),
            held,
        );
    }
    if decl.style == Style::Offset {
        let says_more = page.more == Some(Value::Bool(true));
        if let Some(size) = size
            && says_more
            && held < size
            && held > 0
        {
            j.mismatch(
                "short-page",
                n,
                at.clone(),
                format!("page {n} holds {held} records and {more} is true; a page followed by more records holds {size} ({which}), or the next offset skips records"),
                size,
                held,
            );
        }
        if state.said_more && held == 0 && !says_more {
            j.mismatch(
                "empty-after-more",
                n,
                Where::body(&more),
                format!(
                    "page {} said more records follow ({more} true), but page {n} holds none",
                    n - 1
                ),
                "records on this page, or false on the page before",
                "an empty page",
            );
        }
        state.said_more = says_more;
    }
    if let Some(ptr) = &decl.total {
        let got = page.total.as_ref().and_then(Value::as_u64);
        match (got, state.total) {
            (None, _) => j.mismatch(
                "total",
                n,
                Where::body(ptr),
                format!("{ptr} on page {n} is not a non-negative integer"),
                "an integer",
                page.total
                    .as_ref()
                    .map_or("missing".into(), Value::to_string),
            ),
            (Some(t), None) => state.total = Some(t),
            (Some(t), Some(first)) if t != first => j.mismatch(
                "totals-change",
                n,
                Where::body(ptr),
                format!("{ptr} changed during the walk: page 1 said {first}, page {n} says {t}"),
                first,
                t,
            ),
            _ => {}
        }
    }
}

/// A declared total equals the records the walk saw.
pub(super) fn finish(state: &State, j: &mut Judge<'_>, walk: &Ended<'_>) {
    if let (End::Last, Some(records), Some(last)) = (walk.end, state.total, walk.last_page)
        && walk.distinct != records
    {
        let ptr = j.cx.decl.total.clone().unwrap_or_default();
        j.mismatch(
            "seen-total",
            last,
            Where::body(&ptr),
            format!(
                "the walk saw {} distinct records, but {ptr} is {records}",
                walk.distinct
            ),
            records,
            walk.distinct,
        );
    }
}
