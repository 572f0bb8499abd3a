//! Which exchanges a report shows one by one: all of them, except that a run of a long walk's
//! middle pages kept short (`Exchange::trimmed`) shows as one line, so a walk of 100,000 pages
//! reads as its first pages, one line, and its last pages.

use crate::exchange::Exchange;

/// An exchange to show, or a run of pages kept short.
#[derive(Debug)]
pub enum Shown<'a> {
    One(&'a Exchange),
    Pages(PageRun),
}

/// Consecutive middle pages of one walk step, none with findings of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRun {
    /// 0-based step index.
    pub step: usize,
    pub first: usize,
    pub last: usize,
    pub count: usize,
    /// The statuses they were answered with, each once, in the order first met.
    pub statuses: Vec<u16>,
    /// Pages of the run that kept the ids and links the walk read (the rest were kept as one
    /// entry, past the digests a walk keeps).
    pub digests: usize,
}

impl PageRun {
    /// One line: `step 2, pages 6-99,995: 99,990 pages with no findings of their own, all
    /// answered 200 (kept short: ...)`.
    pub fn describe(&self) -> String {
        let statuses: Vec<String> = self.statuses.iter().map(u16::to_string).collect();
        let answered = match statuses.as_slice() {
            [one] if self.count > 1 => format!("all answered {one}"),
            _ => format!("answered {}", statuses.join(", ")),
        };
        let kept = if self.digests == self.count {
            "results.json has each one's URL, status and the ids and links the walk read".to_owned()
        } else if self.digests == 0 {
            "results.json has their first URL, their status and their total time".to_owned()
        } else {
            format!(
                "results.json has the URL, status and the ids and links the walk read of the first {} of them, and of the rest their first URL, status and total time",
                grouped(self.digests)
            )
        };
        format!(
            "step {}, pages {}-{}: {} page{} with no findings of their own, {answered} (kept short: their headers, bodies and curl lines were not kept; {kept})",
            self.step + 1,
            grouped(self.first),
            grouped(self.last),
            grouped(self.count),
            if self.count == 1 { "" } else { "s" },
        )
    }
}

/// The exchanges as shown, in order.
pub fn shown(exchanges: &[Exchange]) -> Vec<Shown<'_>> {
    let mut out: Vec<Shown<'_>> = Vec::new();
    for x in exchanges {
        let (true, Some(page), Some(r)) = (x.trimmed(), x.page, x.response.as_ref()) else {
            out.push(Shown::One(x));
            continue;
        };
        let last = x.pages_to.unwrap_or(page).max(page);
        let count = last - page + 1;
        let digests = usize::from(x.pages_to.is_none());
        if let Some(Shown::Pages(run)) = out.last_mut()
            && run.step == x.step
            && run.last + 1 == page
        {
            run.last = last;
            run.count += count;
            run.digests += digests;
            if !run.statuses.contains(&r.status) {
                run.statuses.push(r.status);
            }
            continue;
        }
        out.push(Shown::Pages(PageRun {
            step: x.step,
            first: page,
            last,
            count,
            statuses: vec![r.status],
            digests,
        }));
    }
    out
}

/// `99990` as `99,990`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{RecordedRequest, RecordedResponse};

    fn page(step: usize, n: usize, status: u16, trimmed: bool) -> Exchange {
        Exchange {
            step,
            page: Some(n),
            pages_to: None,
            link: None,
            operation: None,
            request: RecordedRequest {
                method: "GET".into(),
                url: format!("http://h/a?page={n}"),
                headers: Vec::new(),
                body: None,
            },
            response: Some(RecordedResponse {
                status,
                headers: Vec::new(),
                body: String::new(),
                body_bytes: 10,
                body_note: None,
                digest: trimmed.then(Default::default),
                json: None,
            }),
            duration_ms: 1,
            curl: String::new(),
            attempts: 1,
            retried: Vec::new(),
        }
    }

    #[test]
    fn runs_of_pages_kept_short_show_as_one_line_each() {
        let xs = vec![
            page(0, 1, 200, false),
            page(0, 2, 200, true),
            page(0, 3, 200, true),
            page(0, 4, 200, false),
            page(0, 5, 200, true),
            page(1, 6, 200, true),
        ];
        let mut span = page(1, 7, 200, false);
        span.pages_to = Some(70);
        let mut xs = xs;
        xs.push(span);
        let runs: Vec<String> = shown(&xs)
            .iter()
            .map(|s| match s {
                Shown::One(x) => format!("one {}", x.page.unwrap_or(0)),
                Shown::Pages(r) => format!("run {}:{}-{}x{}", r.step, r.first, r.last, r.count),
            })
            .collect();
        assert_eq!(
            runs,
            [
                "one 1",
                "run 0:2-3x2",
                "one 4",
                "run 0:5-5x1",
                "run 1:6-70x65"
            ]
        );
    }

    #[test]
    fn a_run_says_its_pages_and_statuses() {
        let run = PageRun {
            step: 1,
            first: 6,
            last: 99_995,
            count: 99_990,
            statuses: vec![200],
            digests: 99_990,
        };
        assert!(run.describe().starts_with(
            "step 2, pages 6-99,995: 99,990 pages with no findings of their own, all answered 200 (kept short"
        ));
        let spanned = PageRun {
            digests: 1_000,
            ..run
        };
        assert!(spanned.describe().contains(
            "the ids and links the walk read of the first 1,000 of them, and of the rest their first URL"
        ));
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
