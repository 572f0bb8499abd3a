//! Telling OpenAPI and Swagger documents apart from other YAML and JSON files (suites,
//! profiles, the schema files a spec refers to), so that `accord lint specs` finds the specs
//! in a directory and suite discovery passes them by.
//!
//! A document is a spec when its top-level mapping has an `openapi` or a `swagger` key. The
//! test reads only what it must: for YAML, lines that start at column 0; for JSON, the
//! top-level keys (values are skipped without being built).

use std::path::{Path, PathBuf};

/// Extensions a spec found in a directory may have.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// True when the file is an OpenAPI or Swagger document (whatever its extension).
pub fn is_spec_file(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| is_spec_text(&text))
}

/// True when the text is an OpenAPI or Swagger document.
pub fn is_spec_text(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return json_top_keys_name_a_spec(text);
    }
    text.lines().any(|line| {
        ["openapi", "swagger"].iter().any(|key| {
            let rest = line
                .strip_prefix(key)
                .or_else(|| quoted(line, key, '"'))
                .or_else(|| quoted(line, key, '\''));
            rest.is_some_and(|r| r.trim_start().starts_with(':'))
        })
    })
}

fn quoted<'a>(line: &'a str, key: &str, quote: char) -> Option<&'a str> {
    line.strip_prefix(quote)?
        .strip_prefix(key)?
        .strip_prefix(quote)
}

fn json_top_keys_name_a_spec(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        openapi: Option<serde::de::IgnoredAny>,
        swagger: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Probe>(text).is_ok_and(|p| p.openapi.is_some() || p.swagger.is_some())
}

/// The specs under the given paths: files that are specs as given, and directories searched
/// recursively for `*.yaml`, `*.yml` and `*.json` specs; sorted, each once.
pub fn find_specs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            files_under(p, &|f| has_spec_extension(f) && is_spec_file(f), &mut out);
        } else if p.is_file() && is_spec_file(p) {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Collects, recursively, the files under `dir` that `keep` accepts (unsorted).
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, keep, out);
        } else if keep(&p) {
            out.push(p);
        }
    }
}

fn has_spec_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.contains(&x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_specs_are_told_by_a_top_level_key() {
        assert!(is_spec_text("openapi: 3.1.0\npaths: {}\n"));
        assert!(is_spec_text(
            "\u{feff}# comment\ninfo: {}\nswagger: '2.0'\n"
        ));
        assert!(is_spec_text("\"openapi\" : \"3.0.3\"\n"));
        assert!(!is_spec_text(
            "api: cdr\nspec: ../specs/x.yaml\ncases: []\n"
        ));
        assert!(
            !is_spec_text("components:\n  schemas:\n    openapi: {type: string}\n"),
            "an indented key is not at the top level"
        );
    }

    #[test]
    fn json_specs_are_told_by_their_top_level_keys_in_any_order() {
        assert!(is_spec_text("{\"definitions\": {}, \"swagger\": \"2.0\"}"));
        assert!(is_spec_text("\u{feff} {\"openapi\": \"3.0.0\"}"));
        assert!(!is_spec_text("{\"a\": {\"openapi\": \"3.0.0\"}}"));
        assert!(!is_spec_text("{not json"));
    }

    #[test]
    fn finds_the_specs_of_a_directory_and_passes_other_files_by() {
        let found = find_specs(&[PathBuf::from("tests/fixtures/specs/good/refs")]);
        assert_eq!(
            found,
            [PathBuf::from("tests/fixtures/specs/good/refs/main.yaml")]
        );
    }
}
