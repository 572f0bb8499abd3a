//! What a pagination walk leaves behind for the `pagination-walk` check: a small digest of each
//! page (the request's paging, the status, the record ids, the links, totals and markers) and
//! why the walk stopped.
//!
//! The executor reads a [`Page`] from each answer and hands it to the walk's judge, which keeps
//! only what later pages are judged against, so a walk of 100,000 pages costs little memory;
//! [`Setup`] is what the first request set. A page whose body a long walk does not keep in the
//! report carries its `PageDigest` instead, so a replay can rebuild the [`Page`] the walker
//! read.
//!
//! A `cds` link that names its page by the page parameter is judged by page arithmetic alone.
//! One that does not (a cursor the standard allows) is identified by the page of the walk it
//! asks for again, and otherwise followed once after the walk: the page it leads to is the walk
//! page holding the same records.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::Value;

use super::{Pagination, Style};
use crate::exchange::PageDigest;
use crate::pointer;

/// One page as the walk saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Position in the walk, from 1.
    pub number: usize,
    /// The URL requested (secrets redacted).
    pub url: String,
    /// The JSON body sent, when there was one.
    pub body: Option<Value>,
    pub status: u16,
    /// True when the response body was JSON.
    pub json: bool,
    /// The identifier of each record (as text; `None` for a record without one), or `None`
    /// when the records pointer does not hold an array.
    pub ids: Option<Vec<Option<String>>>,
    /// `cds`: the links present (self, first, prev, next, last), as received.
    pub links: Vec<(&'static str, Value)>,
    /// `cds`: meta.totalRecords and meta.totalPages as received.
    pub total_records: Option<Value>,
    pub total_pages: Option<Value>,
    /// `offset`: the more-records marker; `cursor`: the next link or token; any style: the
    /// declared total count.
    pub more: Option<Value>,
    pub next: Option<Value>,
    pub total: Option<Value>,
}

/// What a `cds` walk reads from a page's addresses, worked out once per page: the page's key
/// (the hashed [`url_key`] of its URL) and each of its links resolved to an absolute URL (in
/// the order of [`Page::links`]; `None` where a link is no URI).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageUrls {
    pub key: u128,
    pub links: Vec<Option<Arc<Link>>>,
}

/// A page's link resolved to an absolute URL, with its query read once: a walk's judge asks
/// each link for several parameters, and every page repeats most links of the page before.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub url: url::Url,
    /// Written as an absolute URL, not resolved against the page's.
    pub absolute: bool,
    /// The query's pairs, decoded, in order.
    query: Vec<(String, String)>,
}

impl Link {
    fn new(url: url::Url, absolute: bool) -> Link {
        let query = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Link {
            url,
            absolute,
            query,
        }
    }

    /// The value of the first query parameter called `name`, decoded, as [`query_param`]
    /// gives it.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl PageUrls {
    /// Reads them from a page (nothing for styles other than `cds`, which have no links).
    #[cfg(test)]
    pub fn read(page: &Page, decl: &Pagination) -> PageUrls {
        PageUrls::read_with(page, decl, &mut Parsed::default())
    }

    /// [`PageUrls::read`], parsing each address through `parsed`, which a walk keeps from
    /// page to page.
    pub fn read_with(page: &Page, decl: &Pagination, parsed: &mut Parsed) -> PageUrls {
        if decl.style != Style::Cds {
            return PageUrls::default();
        }
        let key = parsed.key(&page.url, decl);
        PageUrls {
            key: hash128(key.as_str()),
            links: page
                .links
                .iter()
                .map(|(_, v)| resolve(page, v, parsed))
                .collect(),
        }
    }

    /// Link `name` of `page` (the page these were read from), resolved.
    pub fn link(&self, page: &Page, name: &str) -> Option<&Link> {
        let i = page.links.iter().position(|(n, _)| *n == name)?;
        self.links.get(i)?.as_deref()
    }
}

/// The link names of standard pagination, in the order findings report them.
pub const LINKS: [&str; 5] = ["self", "first", "prev", "next", "last"];

impl Page {
    /// Reads the digest of a page from its request and (unredacted) JSON body.
    pub fn read(
        number: usize,
        url: &str,
        body: Option<&str>,
        status: u16,
        json: Option<&Value>,
        decl: &Pagination,
    ) -> Page {
        let present = |v: Option<&Value>| v.filter(|v| !v.is_null()).cloned();
        let at = |ptr: &str| present(json.and_then(|j| pointer::get(j, ptr)));
        let ids = json
            .and_then(|j| pointer::get(j, &decl.items))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|r| pointer::get(r, &decl.id).and_then(id_text))
                    .collect()
            });
        let links = match decl.style {
            Style::Cds => {
                let links = json.and_then(|j| j.get("links"));
                LINKS
                    .iter()
                    .filter_map(|name| {
                        present(links.and_then(|l| l.get(*name))).map(|v| (*name, v))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let (total_records, total_pages) = match decl.style {
            Style::Cds => (at("/meta/totalRecords"), at("/meta/totalPages")),
            _ => (None, None),
        };
        Page {
            number,
            url: url.to_owned(),
            body: body.and_then(|b| serde_json::from_str(b).ok()),
            status,
            json: json.is_some(),
            ids,
            links,
            total_records,
            total_pages,
            more: decl.more.as_deref().and_then(&at),
            next: decl.next_pointer().and_then(&at),
            total: decl.total.as_deref().and_then(&at),
        }
    }

    /// The page rebuilt from its request and the digest recorded in place of its body.
    pub fn from_digest(
        number: usize,
        url: &str,
        body: Option<&str>,
        status: u16,
        digest: &PageDigest,
    ) -> Page {
        Page {
            number,
            url: url.to_owned(),
            body: body.and_then(|b| serde_json::from_str(b).ok()),
            status,
            json: digest.json,
            ids: digest.ids.clone(),
            links: LINKS
                .iter()
                .filter_map(|name| {
                    let (_, v) = digest.links.iter().find(|(n, _)| n == name)?;
                    Some((*name, v.clone()))
                })
                .collect(),
            total_records: digest.total_records.clone(),
            total_pages: digest.total_pages.clone(),
            more: digest.more.clone(),
            next: digest.next.clone(),
            total: digest.total.clone(),
        }
    }

    /// What the walk read from the page's body, to record when the body is not kept.
    pub fn into_digest(self) -> PageDigest {
        PageDigest {
            json: self.json,
            ids: self.ids,
            links: self
                .links
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v))
                .collect(),
            total_records: self.total_records,
            total_pages: self.total_pages,
            more: self.more,
            next: self.next,
            total: self.total,
        }
    }

    /// A link of standard pagination, as received.
    pub fn link(&self, name: &str) -> Option<&Value> {
        self.links.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Number of records on the page, when it holds an array of them.
    pub fn records(&self) -> Option<usize> {
        self.ids.as_ref().map(Vec::len)
    }

    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A record's identifier as text: strings as they are, numbers and other scalars as JSON.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Why a walk stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// The last page said no more follow (no next link, more false, no cursor).
    Last,
    /// A page answered with a status outside 2xx.
    Status,
    /// The next link or cursor of the last page led back to one already requested, for the
    /// page numbered `seen`.
    Loop { to: String, seen: usize },
    /// `max_pages` pages were requested and the last one still pointed further.
    Cap,
    /// The walk could not go on from the last page: `message` says why, `at` is the JSON
    /// Pointer of what was wrong in its body.
    Stuck { at: String, message: String },
}

/// A link followed once after the walk, because it names its page by no page parameter and
/// asks for no page the walk requested.
#[derive(Debug, Clone, PartialEq)]
pub struct Followed {
    /// The [`url_key`] of the link.
    pub key: String,
    /// The page it led to, numbered as the page that carried the link.
    pub page: Page,
}

/// A link to follow once after the walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// The [`url_key`] of the link.
    pub key: String,
    /// Its [`hash128`].
    pub hash: u128,
    /// The link resolved to an absolute URL.
    pub url: String,
    /// The walk page that carried it first, and its name there.
    pub from: usize,
    pub link: &'static str,
}

/// Most links one walk follows; links past this many are judged only where a page parameter or
/// a page already requested says where they lead.
pub const MAX_FOLLOWED: usize = 20;

/// What the first request of a walk set, which every page is judged against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Setup {
    /// The page size the first request asked for, if it asked.
    pub sent_size: Option<u64>,
    /// The page size in effect: the one asked for, else the declared default.
    pub size: u64,
    /// Query parameters of the first request other than the paging ones: the filters every
    /// link must keep.
    pub filters: Vec<(String, String)>,
    /// The page cap the walk ran under.
    pub max_pages: u64,
}

/// A whole walk with every page, as tests build one to judge at once.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub pages: Vec<Page>,
    /// The links followed after the walk, at most [`MAX_FOLLOWED`].
    pub followed: Vec<Followed>,
    pub end: End,
    /// The page size the first request asked for, if it asked.
    pub sent_size: Option<u64>,
    /// The page size in effect: the one asked for, else the declared default.
    pub size: u64,
    /// Query parameters of the first request other than the paging ones: the filters every
    /// link must keep.
    pub filters: Vec<(String, String)>,
    /// The page cap the walk ran under.
    pub max_pages: u64,
    /// The ids the previous walk of the case saw, when this walk must see the same.
    pub previous: Option<Vec<String>>,
}

#[cfg(test)]
impl Record {
    /// Every record id seen, in walk order (records without one are left out).
    pub fn ids(&self) -> Vec<String> {
        self.pages
            .iter()
            .filter(|p| p.ok())
            .flat_map(|p| p.ids.iter().flatten().flatten().cloned())
            .collect()
    }
}

/// A 128-bit hash of a value: record ids, page addresses and a page's records are told apart
/// by it, so a walk keeps 16 bytes for each rather than the text (two different values share
/// one with a chance of about one in 10^38 per pair).
pub fn hash128<T: Hash + ?Sized>(value: &T) -> u128 {
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        value.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// A URL with its query pairs sorted, so the same page asked for in another parameter order
/// is recognised; for the `cds` style an absent page parameter counts as page 1, its default.
pub fn url_key(url: &str, decl: &Pagination) -> String {
    match url::Url::parse(url) {
        Ok(u) => url_key_of(&u, decl),
        Err(_) => url.to_owned(),
    }
}

/// [`url_key`] of an address already parsed.
pub fn url_key_of(u: &url::Url, decl: &Pagination) -> String {
    let mut u = u.clone();
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let page = decl.page_param();
    if decl.style == Style::Cds && !pairs.iter().any(|(k, _)| k == page) {
        pairs.push((page.to_owned(), "1".to_owned()));
    }
    pairs.sort();
    u.set_fragment(None);
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

/// What standard pagination asks of link `name` on page `n` of a set of `last_page` pages
/// (1 for an empty set): whether the page must carry it, and the page it must lead to (`None`
/// for a link the page need not carry and that has no page to name: `prev` on the first page,
/// `next` on the last).
pub fn cds_link_rule(name: &str, n: u64, last_page: u64) -> (bool, Option<u64>) {
    let required = match name {
        "self" => true,
        "first" | "prev" => n > 1,
        _ => n < last_page,
    };
    let target = match name {
        "self" => Some(n),
        "first" => Some(1),
        "prev" if required => Some(n - 1),
        "next" if required => Some(n + 1),
        "last" => Some(last_page),
        _ => None,
    };
    (required, target)
}

/// A link of a page as an absolute URL: as written, or resolved against the page's URL.
fn resolve(page: &Page, href: &Value, parsed: &mut Parsed) -> Option<Arc<Link>> {
    let href = href.as_str()?;
    if let Some(link) = &parsed.known(href).link {
        return Some(Arc::clone(link));
    }
    let joined = parsed.parse(&page.url)?.join(href).ok()?;
    Some(Arc::new(Link::new(joined, false)))
}

/// The addresses a walk parsed lately, each with what parsing it gave and, once asked for,
/// its [`url_key`]. A walk meets the same address again and again: every page repeats the
/// first and last links, and each page's own address is the link to it the page before gave,
/// so it parses each of them once.
#[derive(Debug, Default)]
pub struct Parsed {
    recent: std::collections::VecDeque<Known>,
}

#[derive(Debug)]
struct Known {
    text: String,
    /// The last bytes of `text`, where a walk's addresses differ, for a quick comparison.
    tail: u64,
    /// `text` parsed as an absolute URL, with its query read.
    link: Option<Arc<Link>>,
    key: Option<String>,
}

impl Parsed {
    /// Addresses kept: a page's five links and its own address, with room to spare; the one
    /// least lately used goes first.
    const KEEP: usize = 16;

    /// `text` parsed as an absolute URL (`None` when it is not one), as `url::Url::parse`
    /// gives it.
    pub fn parse(&mut self, text: &str) -> Option<&url::Url> {
        self.known(text).link.as_deref().map(|l| &l.url)
    }

    /// [`url_key`] of `text`.
    pub fn key(&mut self, text: &str, decl: &Pagination) -> String {
        let Known { link, key, .. } = self.known(text);
        key.get_or_insert_with(|| match link {
            Some(l) => url_key_of(&l.url, decl),
            None => text.to_owned(),
        })
        .clone()
    }

    fn known(&mut self, text: &str) -> &mut Known {
        // From the most recently used: the address asked for is most often one just met.
        // Addresses of one walk differ mostly at their end (`page=7`), so their last bytes
        // are compared first.
        let tail = tail_of(text);
        let same = |k: &Known| k.tail == tail && k.text.len() == text.len() && k.text == text;
        let known = match self.recent.iter().rposition(same) {
            Some(i) => self.recent.remove(i).expect("a position found in the list"),
            None => {
                if self.recent.len() == Self::KEEP {
                    self.recent.pop_front();
                }
                Known {
                    text: text.to_owned(),
                    tail,
                    link: url::Url::parse(text)
                        .ok()
                        .map(|u| Arc::new(Link::new(u, true))),
                    key: None,
                }
            }
        };
        // Most recently used last, so the first and last links, met on every page, stay.
        self.recent.push_back(known);
        self.recent.back_mut().expect("the address just kept")
    }
}

/// The last eight bytes of `text` (fewer when it is shorter) as one number.
fn tail_of(text: &str) -> u64 {
    let bytes = &text.as_bytes()[text.len().saturating_sub(8)..];
    bytes.iter().fold(0, |n, b| n << 8 | u64::from(*b))
}

/// The value of query parameter `name` in `url`.
pub fn query_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Most links a walk keeps in view that no page placed yet; links past this many are judged
/// only where a page parameter or a page already requested says where they lead.
pub const MAX_UNPLACED: usize = 1000;

/// The `cds` links only following can place, kept as the walk's pages arrive: they carry no
/// page parameter and ask for no page the walk requested. Each distinct link once, in walk
/// order; a link leaves the list when a later page asks for it.
#[derive(Debug, Default)]
pub struct Unplaced {
    /// Every page's address (hashed [`url_key`]).
    walked: std::collections::HashSet<u128>,
    visits: Vec<Visit>,
}

impl Unplaced {
    /// Notes a page's address, and each of its links that no page placed so far.
    pub fn page(&mut self, page: &Page, urls: &PageUrls, decl: &Pagination) {
        if decl.style != Style::Cds {
            return;
        }
        self.walked.insert(urls.key);
        self.visits.retain(|v| v.hash != urls.key);
        if !page.ok() {
            return;
        }
        for ((name, _), link) in page.links.iter().zip(&urls.links) {
            let Some(link) = link else {
                continue;
            };
            if link.param(decl.page_param()).is_some() {
                continue;
            }
            let key = url_key_of(&link.url, decl);
            let hash = hash128(key.as_str());
            if self.walked.contains(&hash)
                || self.visits.len() >= MAX_UNPLACED
                || self.visits.iter().any(|v| v.hash == hash)
            {
                continue;
            }
            self.visits.push(Visit {
                key,
                hash,
                url: link.url.to_string(),
                from: page.number,
                link: name,
            });
        }
    }

    /// The links to follow once the walk has ended: at most [`MAX_FOLLOWED`], in walk order.
    pub fn to_follow(&self) -> &[Visit] {
        &self.visits[..self.visits.len().min(MAX_FOLLOWED)]
    }
}

/// [`Unplaced::to_follow`] of a whole walk.
#[cfg(test)]
pub fn to_follow(decl: &Pagination, pages: &[Page]) -> Vec<Visit> {
    let mut unplaced = Unplaced::default();
    for page in pages {
        unplaced.page(page, &PageUrls::read(page, decl), decl);
    }
    unplaced.to_follow().to_vec()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_kept_parse_is_the_parse() {
        let mut parsed = Parsed::default();
        let first = "https://h/a?page=1";
        let texts: Vec<String> = (0..40)
            .flat_map(|n| {
                [
                    first.to_owned(),
                    format!("https://h/a?page={n}"),
                    "not a url".into(),
                ]
            })
            .collect();
        for t in &texts {
            assert_eq!(parsed.parse(t), url::Url::parse(t).ok().as_ref(), "{t}");
        }
        // The address met on every page stays, however many others came between.
        assert!(parsed.recent.iter().any(|k| k.text == first));
        let cds = cds();
        for t in &texts {
            assert_eq!(parsed.key(t, &cds), url_key(t, &cds), "{t}");
        }
        assert!(parsed.recent.len() <= Parsed::KEEP);
    }

    fn cds() -> Pagination {
        let yaml = "style: cds\nrequirement: R\nrequest: {operation: x}\nitems: /data/accounts\nid: /accountId\ndefault_size: 25\nmax_size: 1000\n";
        let doc = crate::yaml::Document::parse("p.yaml", yaml.to_owned()).unwrap();
        serde_json::from_value(doc.value).unwrap()
    }

    fn page(n: usize, url: &str, links: Value) -> Page {
        let body = json!({"data": {"accounts": []}, "links": links, "meta": {"totalRecords": 0, "totalPages": 0}});
        Page::read(n, url, None, 200, Some(&body), &cds())
    }

    /// Only links without a page number that ask for no page of the walk are followed, each once.
    #[test]
    fn links_are_followed_only_where_nothing_else_places_them() {
        let d = cds();
        let pages = [
            page(
                1,
                "https://h/a",
                json!({"self": "https://h/a", "next": "https://h/a?cursor=2", "last": "https://h/a?page=2"}),
            ),
            page(
                2,
                "https://h/a?cursor=2",
                json!({"self": "?cursor=2", "first": "/a", "prev": "https://h/a?cursor=back", "next": 7}),
            ),
            page(
                3,
                "https://h/a?cursor=3",
                json!({"self": "https://h/a?cursor=3", "prev": "https://h/a?cursor=back", "first": "https://h/a?cursor=first"}),
            ),
        ];
        let visits: Vec<(usize, &str, String)> = to_follow(&d, &pages)
            .into_iter()
            .map(|v| (v.from, v.link, v.url))
            .collect();
        assert_eq!(
            visits,
            [
                (2, "prev", "https://h/a?cursor=back".to_owned()),
                (3, "first", "https://h/a?cursor=first".to_owned()),
            ]
        );
        let many: Vec<Page> = (1..=30)
            .map(|n| {
                page(
                    n,
                    &format!("https://h/a?cursor={n}"),
                    json!({"self": format!("https://h/a?cursor={n}"), "prev": format!("https://h/a?back={n}")}),
                )
            })
            .collect();
        assert_eq!(to_follow(&d, &many).len(), MAX_FOLLOWED);
    }

    #[test]
    fn the_same_page_asked_for_differently_has_one_key() {
        let d = cds();
        assert_eq!(
            url_key("https://h/a?page-size=2&open-status=OPEN#x", &d),
            url_key("https://h/a?open-status=OPEN&page=1&page-size=2", &d)
        );
        assert_ne!(
            url_key("https://h/a?page=2", &d),
            url_key("https://h/a", &d)
        );
    }
}
