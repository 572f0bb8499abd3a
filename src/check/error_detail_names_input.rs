//! `error-detail-names-input`: the refusal of a generated negative request names, in the detail
//! of its error, the input the request broke, for the codes `protocol.errors.names_input` lists.
//!
//! The CDS says so of four codes: "The error description SHOULD be the parameter name of the
//! invalid field" (Invalid Field, and "of the missing field" for Missing Required Field) and
//! "SHOULD be the HTTP header name" (Missing Required Header, Invalid Header). Only a generated
//! negative request knows which input it broke (`query page-size`, `header x-v`, a body
//! member), so only its refusal is judged; an accepted request is `negative-rejected`'s to
//! report, and a missing detail `error-catalogue`'s.
//!
//! A detail names the input when it is the input's name, or holds the name as a word of its
//! own: `page-size`, `page-size: must be a PositiveInteger` and `Invalid page-size` pass,
//! `Invalid page` does not name `page-size`, nor `page-size` name `page`. The CDS allows more
//! than the bare name ("The error description MAY include further details explaining the valid
//! format", for both Invalid codes), and a detail that names the input in a sentence tells the
//! client what the recommendation wants it to know; demanding the bare name would warn
//! implementations that follow it in substance. Header names compare without regard to case
//! (RFC 9110 section 5.1); other names exactly. A body member is named by its own name, its
//! JSON Pointer or its dotted path (`accountIds`, `/data/accountIds`, `data.accountIds`).
//!
//! The recommendation is a SHOULD, so every finding is a warning. A response with several
//! error objects of the listed codes passes when one of them names the input.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::suite::protocol::errors::read_objects;

pub struct ErrorDetailNamesInput;

impl Check for ErrorDetailNamesInput {
    fn id(&self) -> &'static str {
        "error-detail-names-input"
    }
    fn summary(&self) -> &'static str {
        "The error detail of a refused negative request names the input it broke"
    }
    fn rule(&self) -> &'static str {
        "protocol.errors.names_input (CDS Error Codes: the detail SHOULD be the parameter or header name)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(broken) = &cx.expect.negative else {
            return;
        };
        let Some(cat) = cx.protocol.and_then(|p| p.errors.as_ref()) else {
            return;
        };
        let Some(rule) = &cat.names_input else {
            return;
        };
        let (Some(json), 400..=499) = (&cx.response.json, cx.response.status) else {
            return;
        };
        let codes = cx.suite.file.error_code_pointers();
        let Some(objects) = cat.objects_pointer(codes) else {
            return;
        };
        let input = Input::parse(&broken.input);
        let mut unnamed = None;
        for obj in read_objects(json, &objects, codes) {
            let Some((_, code)) = obj.codes.iter().find(|(_, c)| rule.codes.contains(c)) else {
                continue;
            };
            let Some(detail) = obj.members.get(&rule.member).and_then(|d| d.as_str()) else {
                continue;
            };
            if input.named_by(detail) {
                return;
            }
            let at = pointer::join(&obj.pointer, &rule.member);
            unnamed.get_or_insert((at, code.clone(), detail.to_owned()));
        }
        let Some((at, code, detail)) = unnamed else {
            return;
        };
        out.findings.push(
            Finding::new(
                self.id(),
                cx.step,
                Where::body(&at),
                format!(
                    "the request broke {} and was refused with `{code}`, whose detail {detail:?} does not name it",
                    input.describe()
                ),
            )
            .expected(format!("{:?}, or a detail that names it", input.name))
            .actual(format!("{detail:?}"))
            .rule(&rule.requirement)
            .warning(),
        );
    }
}

/// The input a negative request broke, read from [`crate::suite::protocol::negative::Broken::input`].
struct Input {
    /// `query`, `header`, `path`, `cookie`, or `body` for a member.
    place: String,
    /// The parameter or header name, or the member's own name.
    name: String,
    /// Other ways to name it: a member's JSON Pointer and dotted path.
    also: Vec<String>,
}

impl Input {
    fn parse(input: &str) -> Input {
        if input.starts_with('/') {
            let tokens = pointer::tokens(input).unwrap_or_default();
            return Input {
                place: "body".to_owned(),
                name: tokens.last().cloned().unwrap_or_default(),
                also: vec![input.to_owned(), tokens.join(".")],
            };
        }
        let (place, name) = input.split_once(' ').unwrap_or(("", input));
        Input {
            place: place.to_owned(),
            name: name.to_owned(),
            also: Vec::new(),
        }
    }

    fn describe(&self) -> String {
        match self.place.as_str() {
            "body" => format!("body member `{}`", self.also[0]),
            "header" => format!("header `{}`", self.name),
            place => format!("{place} parameter `{}`", self.name),
        }
    }

    /// True when `detail` is one of the input's names or holds one as a word of its own.
    fn named_by(&self, detail: &str) -> bool {
        let fold = self.place == "header";
        let detail = if fold {
            detail.to_ascii_lowercase()
        } else {
            detail.to_owned()
        };
        std::iter::once(&self.name)
            .chain(&self.also)
            .filter(|n| !n.is_empty())
            .any(|n| {
                let n = if fold {
                    n.to_ascii_lowercase()
                } else {
                    n.clone()
                };
                holds_word(&detail, &n)
            })
    }
}

/// True when `name` occurs in `text` with no name character (letter, digit, `-`, `_`) on
/// either side.
fn holds_word(text: &str, name: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

#[cfg(test)]
mod tests {
    use super::holds_word;
    use crate::check::testing::Fixture;
    use crate::finding::Severity;

    const PROTOCOL: &str = "errors:\n  requirement: CDS Error Codes\n  catalogue:\n    - {code: \"urn:x:Field/Invalid\", status: 400, title: Invalid Field, when: a field is invalid}\n    - {code: \"urn:x:Header/Missing\", status: 400, title: Missing Header, when: a header is missing}\n    - {code: \"urn:x:Field/InvalidPageSize\", status: 400, title: Invalid Page Size, when: too big}\n  names_input:\n    requirement: errors.detail-names-field\n    member: detail\n    codes: [\"urn:x:Field/Invalid\", \"urn:x:Header/Missing\"]\n";

    fn fixture(input: &str) -> Fixture {
        Fixture::new("expect: {status: [200, 400]}")
            .with_protocol(PROTOCOL)
            .with_negative("rule", "sent", &[400])
            .broken_input(input)
    }

    fn error(code: &str, detail: &str) -> String {
        format!(r#"{{"errors":[{{"code":"{code}","title":"T","detail":"{detail}"}}]}}"#)
    }

    fn run(input: &str, status: u16, body: &str) -> Vec<String> {
        fixture(input)
            .run_auto(status, &[], body)
            .into_iter()
            .filter(|l| l.starts_with("[error-detail-names-input]"))
            .collect()
    }

    #[test]
    fn the_name_alone_or_in_a_sentence_passes() {
        for detail in [
            "page-size",
            "page-size: must be a PositiveInteger",
            "Invalid value for 'page-size'",
            "The query parameter page-size is invalid.",
        ] {
            assert!(
                run(
                    "query page-size",
                    400,
                    &error("urn:x:Field/Invalid", detail)
                )
                .is_empty(),
                "{detail}"
            );
        }
    }

    #[test]
    fn a_detail_that_does_not_name_the_input_warns() {
        let found = fixture("query page-size").run_full_auto(
            400,
            &[],
            &error("urn:x:Field/Invalid", "The request is invalid"),
        );
        let mine: Vec<_> = found
            .iter()
            .filter(|f| f.check == "error-detail-names-input")
            .collect();
        assert_eq!(mine.len(), 1);
        let f = mine[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.at.to_string(), "body /errors/0/detail");
        assert_eq!(
            f.message,
            r#"the request broke query parameter `page-size` and was refused with `urn:x:Field/Invalid`, whose detail "The request is invalid" does not name it"#
        );
        assert_eq!(f.rule.as_deref(), Some("errors.detail-names-field"));
        assert_eq!(
            f.expected.as_deref(),
            Some(r#""page-size", or a detail that names it"#)
        );
    }

    #[test]
    fn a_name_inside_a_longer_name_does_not_count() {
        assert_eq!(
            run(
                "query page",
                400,
                &error("urn:x:Field/Invalid", "page-size")
            )
            .len(),
            1
        );
        assert_eq!(
            run(
                "query page-size",
                400,
                &error("urn:x:Field/Invalid", "page")
            )
            .len(),
            1
        );
        assert!(!holds_word("x-min-v", "x-v"));
        assert!(holds_word("(x-v)", "x-v"));
    }

    #[test]
    fn header_names_ignore_case_and_members_have_three_names() {
        assert!(run("header x-v", 400, &error("urn:x:Header/Missing", "X-V")).is_empty());
        assert_eq!(
            run("query Page", 400, &error("urn:x:Field/Invalid", "page")).len(),
            1
        );
        for detail in ["accountIds", "/data/accountIds", "data.accountIds is empty"] {
            assert!(
                run(
                    "/data/accountIds",
                    400,
                    &error("urn:x:Field/Invalid", detail)
                )
                .is_empty(),
                "{detail}"
            );
        }
    }

    #[test]
    fn only_listed_codes_of_refusals_with_a_detail_are_judged() {
        let other = error("urn:x:Field/InvalidPageSize", "too big");
        assert!(run("query page-size", 400, &other).is_empty());
        let accepted = error("urn:x:Field/Invalid", "nothing");
        assert!(run("query page-size", 200, &accepted).is_empty());
        assert!(run("query page-size", 500, &accepted).is_empty());
        let bare = r#"{"errors":[{"code":"urn:x:Field/Invalid","title":"T"}]}"#;
        assert!(run("query page-size", 400, bare).is_empty());
        let plain = Fixture::new("expect: {status: 400}").with_protocol(PROTOCOL);
        assert!(
            plain
                .run_auto(400, &[], &accepted)
                .iter()
                .all(|l| !l.starts_with("[error-detail-names-input]"))
        );
    }

    #[test]
    fn one_object_naming_the_input_is_enough() {
        let body = r#"{"errors":[{"code":"urn:x:Field/Invalid","title":"T","detail":"bad"},{"code":"urn:x:Field/Invalid","title":"T","detail":"page-size"}]}"#;
        assert!(run("query page-size", 400, body).is_empty());
    }
}
