//! Matching concrete request paths against path templates, and the base path of a spec.
//!
//! A template segment is literal (`accounts`), a parameter (`{accountId}`) or a mix
//! (`{file}.json`). When several templates match, the one with literal segments earliest wins,
//! so `/accounts/balances` beats `/accounts/{accountId}` as OpenAPI requires.

use serde_json::Value;

use super::files::percent_decode;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param(String),
}

/// A parsed path template.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    segments: Vec<Vec<Piece>>,
}

impl Template {
    pub fn parse(template: &str) -> Template {
        let segments = split(template)
            .map(|segment| {
                let mut pieces = Vec::new();
                let mut rest = segment;
                while let Some(open) = rest.find('{') {
                    let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                        break;
                    };
                    if open > 0 {
                        pieces.push(Piece::Literal(rest[..open].to_owned()));
                    }
                    pieces.push(Piece::Param(rest[open + 1..close].to_owned()));
                    rest = &rest[close + 1..];
                }
                if !rest.is_empty() || pieces.is_empty() {
                    pieces.push(Piece::Literal(rest.to_owned()));
                }
                pieces
            })
            .collect();
        Template { segments }
    }

    /// The parameter names the template uses, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flatten().filter_map(|p| match p {
            Piece::Param(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// How specific each segment is: 2 literal, 1 mixed, 0 parameter. Higher sorts first.
    fn score(&self) -> Vec<u8> {
        self.segments
            .iter()
            .map(|pieces| match pieces.as_slice() {
                [Piece::Literal(_)] => 2,
                [Piece::Param(_)] => 0,
                _ => 1,
            })
            .collect()
    }

    /// Binds a concrete, already normalised path; `None` when it does not match.
    fn bind(&self, path: &str) -> Option<Vec<(String, String)>> {
        let segments: Vec<&str> = split(path).collect();
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut bound = Vec::new();
        for (pieces, text) in self.segments.iter().zip(segments) {
            if !bind_pieces(pieces, text, &mut bound) {
                return None;
            }
        }
        Some(
            bound
                .into_iter()
                .map(|(k, v)| {
                    let decoded = percent_decode(&v).unwrap_or(v);
                    (k, decoded)
                })
                .collect(),
        )
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty())
}

fn bind_pieces(pieces: &[Piece], text: &str, bound: &mut Vec<(String, String)>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(lit), rest)) => {
            if let Some(tail) = text.strip_prefix(lit.as_str()) {
                return bind_pieces(rest, tail, bound);
            }
            let decoded = percent_decode(text).unwrap_or_default();
            // Whole-segment literal written with characters the client percent-encoded.
            rest.is_empty() && decoded == *lit
        }
        Some((Piece::Param(name), rest)) => {
            for end in (1..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let mark = bound.len();
                bound.push((name.clone(), text[..end].to_owned()));
                if bind_pieces(rest, &text[end..], bound) {
                    return true;
                }
                bound.truncate(mark);
            }
            false
        }
    }
}

/// Picks the most specific template that binds `path` (query string, fragment and a trailing
/// slash ignored; tried without the base path first, then as given).
pub(crate) fn best<'t, T>(
    candidates: impl Iterator<Item = (&'t Template, T)> + Clone,
    base_path: &str,
    path: &str,
) -> Option<(T, Vec<(String, String)>)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let stripped = if base_path.is_empty() {
        None
    } else {
        strip_base(path, base_path)
    };
    for attempt in stripped.into_iter().chain([path]) {
        let found = candidates
            .clone()
            .filter_map(|(t, item)| t.bind(attempt).map(|b| (t.score(), item, b)))
            .fold(
                None::<(Vec<u8>, T, Vec<(String, String)>)>,
                |best, next| match best {
                    Some(b) if b.0 >= next.0 => Some(b),
                    _ => Some(next),
                },
            );
        if let Some((_, item, bound)) = found {
            return Some((item, bound));
        }
    }
    None
}

fn strip_base<'p>(path: &'p str, base: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The path part of the first server URL, with server variables set to their defaults;
/// "" when there is no server or the path is `/`.
pub(crate) fn base_path(root: &Value) -> String {
    let Some(server) = root.get("servers").and_then(|s| s.get(0)) else {
        return String::new();
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            let default = var
                .get("default")
                .and_then(Value::as_str)
                .unwrap_or_default();
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        String::new()
    } else if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pick(templates: &[&str], base: &str, path: &str) -> Option<(String, Vec<(String, String)>)> {
        let parsed: Vec<(Template, &str)> =
            templates.iter().map(|t| (Template::parse(t), *t)).collect();
        best(parsed.iter().map(|(t, s)| (t, s.to_string())), base, path)
    }

    fn bound(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn literal_beats_parameter_whatever_the_order() {
        let t = ["/accounts/{accountId}", "/accounts/balances"];
        assert_eq!(
            pick(&t, "", "/accounts/balances"),
            Some(("/accounts/balances".into(), vec![]))
        );
        assert_eq!(
            pick(&t, "", "/accounts/123"),
            Some((
                "/accounts/{accountId}".into(),
                bound(&[("accountId", "123")])
            ))
        );
    }

    #[test]
    fn earlier_literal_segment_wins() {
        let t = ["/{a}/x", "/y/{b}"];
        assert_eq!(pick(&t, "", "/y/x").unwrap().0, "/y/{b}");
    }

    #[test]
    fn base_path_query_and_trailing_slash_are_tolerated() {
        let t = ["/banking/accounts"];
        for path in [
            "/cds-au/v1/banking/accounts",
            "/banking/accounts",
            "/cds-au/v1/banking/accounts/?page=2",
            "/banking/accounts#x",
        ] {
            assert!(pick(&t, "/cds-au/v1", path).is_some(), "{path}");
        }
        assert!(pick(&t, "/cds-au/v1", "/cds-au/v1x/banking/accounts").is_none());
        assert!(pick(&t, "/cds-au/v1", "/banking/accounts/extra").is_none());
    }

    #[test]
    fn bound_values_are_percent_decoded() {
        let got = pick(&["/files/{name}"], "", "/files/a%20b%2Fc").unwrap();
        assert_eq!(got.1, bound(&[("name", "a b/c")]));
    }

    #[test]
    fn mixed_segments_bind_around_literals() {
        let got = pick(&["/report.{format}", "/{name}.{ext}"], "", "/report.json").unwrap();
        assert_eq!(
            got,
            ("/report.{format}".into(), bound(&[("format", "json")]))
        );
        let got = pick(&["/{name}.{ext}"], "", "/a.b.c").unwrap();
        assert_eq!(got.1, bound(&[("name", "a"), ("ext", "b.c")]));
        assert!(pick(&["/{id}"], "", "/").is_none());
    }

    #[test]
    fn root_template_matches_root() {
        assert!(pick(&["/"], "/v1", "/v1/").is_some());
        assert!(pick(&["/"], "", "/").is_some());
    }

    #[test]
    fn lists_template_params() {
        let t = Template::parse("/a/{x}/b/{y}.{z}");
        assert_eq!(t.params().collect::<Vec<_>>(), vec!["x", "y", "z"]);
    }

    #[test]
    fn base_path_forms() {
        let cases = [
            (
                json!({"servers": [{"url": "https://data.holder.com.au/cds-au/v1"}]}),
                "/cds-au/v1",
            ),
            (json!({"servers": [{"url": "/cds-au/v1/"}]}), "/cds-au/v1"),
            (json!({"servers": [{"url": "https://x.example"}]}), ""),
            (json!({"servers": [{"url": "https://x.example/"}]}), ""),
            (json!({"servers": [{"url": "v2"}]}), "/v2"),
            (
                json!({"servers": [{"url": "{scheme}://{host}/{base}/v1",
                    "variables": {"scheme": {"default": "https"}, "host": {"default": "h"},
                                  "base": {"default": "cds-au"}}}]}),
                "/cds-au/v1",
            ),
            (json!({}), ""),
            (json!({"servers": []}), ""),
        ];
        for (doc, want) in cases {
            assert_eq!(base_path(&doc), want, "{doc}");
        }
    }
}
