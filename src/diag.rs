//! Located diagnostics for bad input: a message tied to `file:line:col`, rendered the way
//! compilers do (location, source line, caret) so that a user can jump straight to the fault.
//!
//! Loaders collect every [`Diagnostic`] of a file before giving up, so one `accord lint` shows
//! every problem at once. Most diagnostics are errors (the input cannot be used); a loader that
//! reads a document liberally reports what it read past as [`Severity::Warning`].

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as it stands.
    #[default]
    Error,
    /// The input was read past the problem; worth fixing, but nothing is refused.
    Warning,
}

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it (relative paths stay relative).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is something useful to say ("did you mean ...").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The source line the location points into, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A diagnostic for a whole file (I/O errors, unknown format).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// A diagnostic at a position, with the line of `text` it points into.
    pub fn at(
        file: impl Into<String>,
        text: &str,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        let source_line = if line > 0 {
            text.lines().nth(line - 1).map(str::to_owned)
        } else {
            None
        };
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            col,
            message: message.into(),
            help: None,
            source_line,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same problem as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True for a warning.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// `file:line:col`, or just `file` when the position is unknown.
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    /// Renders the diagnostic with the source line and a caret under the column.
    pub fn render(&self) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n  --> {}\n", self.message, self.location());
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            out.push_str(&format!("{pad} |\n{gutter} | {src}\n"));
            if self.col > 0 {
                let lead: String = src
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!("{pad} | {lead}^\n"));
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Suggests the closest of `candidates` to `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

/// The `n` candidates that come closest to holding `word` as a substring, closest first: for
/// a `--filter` text that selects nothing, the names it may have meant.
pub fn closest_containing<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (substring_distance(word, c), c))
        .collect();
    scored.sort();
    scored.dedup_by_key(|(_, c)| *c);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// The fewest edits that turn `word` into some substring of `text` (Sellers' variant of the
/// edit distance: the match may start and end anywhere in `text`).
fn substring_distance(word: &str, text: &str) -> usize {
    last_row(word, text, true).into_iter().min().unwrap_or(0)
}

fn edit_distance(a: &str, b: &str) -> usize {
    last_row(a, b, false).last().copied().unwrap_or(0)
}

/// The last row of the edit-distance table from `word` to `text`: entry `j` is the fewest
/// edits that turn `word` into the first `j` characters of `text`, or, `anywhere`, into some
/// substring ending there.
fn last_row(word: &str, text: &str, anywhere: bool) -> Vec<usize> {
    let text: Vec<char> = text.chars().collect();
    let mut prev: Vec<usize> = if anywhere {
        vec![0; text.len() + 1]
    } else {
        (0..=text.len()).collect()
    };
    for (i, cw) in word.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, ct) in text.iter().enumerate() {
            let cost = usize::from(cw != *ct);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev
}

/// Renders a JSON value briefly, as messages and expected/actual fields quote it: its JSON text,
/// cut after 200 characters.
pub fn brief(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_hold_the_text_nearly() {
        let names = [
            "cdr::accounts::list-accounts",
            "cdr::products::product-detail",
            "akahu::accounts::get-account",
        ];
        assert_eq!(substring_distance("acounts", names[0]), 1);
        assert_eq!(substring_distance("products", names[1]), 0);
        assert_eq!(
            closest_containing("cdr::acounts", names, 2),
            [
                "cdr::accounts::list-accounts",
                "akahu::accounts::get-account"
            ]
        );
    }

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::at(
            "s.yaml",
            "a: 1\nstatuz: 200\n",
            2,
            1,
            "unknown key `statuz`",
        )
        .with_help("did you mean `status`?");
        assert_eq!(
            d.render(),
            "error: unknown key `statuz`\n  --> s.yaml:2:1\n  |\n2 | statuz: 200\n  | ^\n  = help: did you mean `status`?\n"
        );
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            did_you_mean("statuz", ["status", "headers"]),
            Some("status".into())
        );
        assert_eq!(did_you_mean("zzzzzz", ["status", "headers"]), None);
    }
}
