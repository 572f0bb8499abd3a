//! The crate's layers, bottom to top, and the test that holds `src/` to them.
//!
//! Every top-level module of `src/` (an *area*) belongs to one layer. An area may use areas of
//! its own layer and of the layers below it, never one above; and no two areas of one layer may
//! use each other (across layers, one of the two uses would go up). A parent module using its
//! own children is one area, so it is not counted. Test code (`#[cfg(test)]` modules and the files they declare) is exempt: a test
//! may build its fixtures with anything.
//!
//! The order is what the code needs, not a wish: records and the OpenAPI model are read by
//! everything; the suite model (with its protocol declarations, profiles and catalogues)
//! describes what to test; checks judge recorded exchanges against it; a plan gathers the
//! suites of a run; the run area holds the summary every report and CI decision reads; the
//! executor produces that summary by sending requests and judging them through the checks;
//! seals digest a run's inputs and reports; reports render a summary; the front ends (the
//! command line, the test harness, the benchmark) assemble everything. The mocks stand alone
//! on the base layer.
//!
//! docs/architecture.md shows the same list, and this test keeps the two equal. While cycles
//! remain, [`ALLOWED`] names the known edges that break the rules, each with its reason; it
//! may only shrink (an entry the code no longer has fails the test).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The layers, bottom to top: a name and the areas (top-level modules of `src/`) in it.
#[rustfmt::skip]
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["diag", "digest", "pointer", "json", "yaml", "template", "redact", "term", "exit", "irdnum", "jwt", "seeded", "check_ids"]),
    ("mock", &["mock"]),
    ("record", &["exchange", "finding"]),
    ("openapi", &["openapi"]),
    ("model", &["inputs", "profile", "suite", "arazzo", "catalogue"]),
    ("check", &["check"]),
    ("plan", &["plan", "partition"]),
    ("run", &["run"]),
    ("exec", &["exec", "replay"]),
    ("seal", &["seal"]),
    ("report", &["report"]),
    ("front", &["starter", "app", "bench", "harness", "cli"]),
];

/// Known edges that break the rules, as `(from, to, reason)`; the list may only shrink.
#[rustfmt::skip]
const ALLOWED: &[(&str, &str, &str)] = &[
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One use of another area: where it is written and the area it names.
#[derive(Debug, Clone)]
struct Use {
    file: String,
    line: usize,
    col: usize,
    to: String,
}

/// Every `.rs` file under `dir`, sorted, as paths relative to `src`.
fn rust_files(src: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(src, &p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p.strip_prefix(src).unwrap().to_path_buf());
        }
    }
}

/// The area a file belongs to: its first path component without `.rs`.
fn area_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The files a module file declares as its children under `#[cfg(test)]`.
fn test_children(rel: &Path, text: &str) -> Vec<PathBuf> {
    let dir = match rel.file_name().and_then(|n| n.to_str()) {
        Some("mod.rs") | Some("lib.rs") | Some("main.rs") => rel.parent().unwrap().to_path_buf(),
        _ => rel.with_extension(""),
    };
    let mut out = Vec::new();
    let mut cfg_test = false;
    for line in text.lines().map(str::trim) {
        if line == "#[cfg(test)]" {
            cfg_test = true;
            continue;
        }
        let declared = line.split("mod ").nth(1).and_then(|r| r.strip_suffix(';'));
        if let (true, Some(name)) = (cfg_test, declared) {
            out.push(dir.join(format!("{name}.rs")));
            out.push(dir.join(name));
        }
        if !line.starts_with("#[") {
            cfg_test = false;
        }
    }
    out
}

/// The text of a file without its comments and its inline `#[cfg(test)] mod ... {}` block
/// (which, by house style, closes the file); comments are blanked so positions stay true.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.ends_with('{'))
        {
            break;
        }
        if line.trim_start().starts_with("//") {
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The areas that `code` names through `crate::` paths, with their positions.
fn uses_in(file: &str, code: &str, areas: &BTreeSet<String>) -> Vec<Use> {
    let bytes = code.as_bytes();
    let pos = |at: usize| {
        let before = &code[..at];
        let line = before.matches('\n').count() + 1;
        let col = at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, col)
    };
    let ident = |at: usize| {
        let end = code[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(code.len(), |n| at + n);
        &code[at..end]
    };
    let mut out = Vec::new();
    let mut push = |at: usize, name: &str| {
        if areas.contains(name) {
            let (line, col) = pos(at);
            out.push(Use {
                file: file.to_owned(),
                line,
                col,
                to: name.to_owned(),
            });
        }
    };
    let mut from = 0;
    while let Some(found) = code[from..].find("crate::") {
        let at = from + found;
        from = at + "crate::".len();
        let preceded = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if preceded {
            continue;
        }
        if bytes.get(from) != Some(&b'{') {
            push(from, ident(from));
            continue;
        }
        // A group: the first name of each of its top-level items.
        let mut depth = 0;
        let mut expect_item = true;
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => {
                    depth += 1;
                    expect_item = depth == 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b',' if depth == 1 => expect_item = true,
                c if expect_item && (c.is_ascii_alphabetic() || c == b'_') => {
                    push(i, ident(i));
                    expect_item = false;
                }
                _ => {}
            }
            i += 1;
        }
        from = i;
    }
    out
}

/// Every use of one area by another in the library code under `src`, by `(from, to)`.
fn graph(src: &Path, areas: &BTreeSet<String>) -> BTreeMap<(String, String), Vec<Use>> {
    let mut files = Vec::new();
    rust_files(src, src, &mut files);
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(src.join(&rel)).unwrap();
            (rel, text)
        })
        .collect();
    let tests: BTreeSet<PathBuf> = texts
        .iter()
        .flat_map(|(rel, text)| test_children(rel, text))
        .collect();
    let mut out: BTreeMap<(String, String), Vec<Use>> = BTreeMap::new();
    for (rel, text) in &texts {
        let from = area_of(rel);
        let is_test = rel.ancestors().any(|a| tests.contains(a));
        if is_test || from == "lib" || from == "main" {
            continue;
        }
        let shown = format!("src/{}", rel.display());
        for u in uses_in(&shown, &code_of(text), areas) {
            if u.to != from {
                out.entry((from.clone(), u.to.clone())).or_default().push(u);
            }
        }
    }
    out
}

/// Every break of the layer rules in the tree under `src`, one message each, minus the
/// `allowed` edges; plus an entry for each allowed edge the tree no longer has.
fn violations(
    src: &Path,
    layers: &[(&str, &[&str])],
    allowed: &[(&str, &str, &str)],
) -> Vec<String> {
    let layer_of: BTreeMap<String, (usize, &str)> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, (name, areas))| areas.iter().map(move |a| (a.to_string(), (i, *name))))
        .collect();
    let mut out = Vec::new();
    let mut present = BTreeSet::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let rel = PathBuf::from(entry.unwrap().file_name());
        if rel.extension().is_some_and(|x| x == "rs") || src.join(&rel).is_dir() {
            let area = area_of(&rel);
            if area != "lib" && area != "main" {
                present.insert(area);
            }
        }
    }
    for area in &present {
        if !layer_of.contains_key(area) {
            out.push(format!(
                "src/{area}: the area `{area}` is in no layer (add it to LAYERS in tests/layers.rs and to docs/architecture.md)"
            ));
        }
    }
    let edges = graph(src, &present);
    let is_allowed = |from: &str, to: &str| allowed.iter().any(|(f, t, _)| *f == from && *t == to);
    for ((from, to), uses) in &edges {
        let (Some(&(lf, nf)), Some(&(lt, nt))) = (layer_of.get(from), layer_of.get(to)) else {
            continue;
        };
        let first = &uses[0];
        if lf < lt && !is_allowed(from, to) {
            out.push(format!(
                "{}:{}:{}: `{from}` (layer {nf}) uses `{to}` (layer {nt}), a higher layer",
                first.file, first.line, first.col
            ));
        }
        let back = edges.get(&(to.clone(), from.clone()));
        let excused = is_allowed(from, to) || is_allowed(to, from);
        if let (true, Some(back)) = (lf == lt && from < to && !excused, back) {
            let b = &back[0];
            out.push(format!(
                "{}:{}:{}: `{from}` (layer {nf}) and `{to}` (layer {nt}) use each other; `{to}` uses `{from}` at {}:{}:{}",
                first.file, first.line, first.col, b.file, b.line, b.col
            ));
        }
    }
    for (from, to, _) in allowed {
        if !edges.contains_key(&(from.to_string(), to.to_string())) {
            out.push(format!(
                "tests/layers.rs: the allowed edge `{from}` -> `{to}` is gone from the code: remove it from ALLOWED"
            ));
        }
    }
    out
}

#[test]
fn every_area_uses_only_its_own_layer_and_those_below() {
    let found = violations(&root().join("src"), LAYERS, ALLOWED);
    assert!(
        found.is_empty(),
        "layer rules broken:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_allowed_edge_says_why() {
    for (from, to, why) in ALLOWED {
        assert!(
            !why.trim().is_empty(),
            "{from} -> {to}: say why it is allowed"
        );
    }
}

/// The layer list as docs/architecture.md shows it: one line per layer, top first.
fn rendered() -> String {
    let mut out = String::new();
    for (name, areas) in LAYERS.iter().rev() {
        writeln!(out, "{name:<8} {}", areas.join(" ")).unwrap();
    }
    out
}

#[test]
fn the_architecture_page_lists_these_layers() {
    let page = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = page
        .find("```text\n")
        .expect("docs/architecture.md opens its layer list with a ```text block");
    let body = &page[start + "```text\n".len()..];
    let block = &body[..body.find("```").unwrap()];
    assert_eq!(
        block,
        rendered(),
        "docs/architecture.md's first text block must be the layer list of tests/layers.rs"
    );
}

/// A scratch tree under the test target's temporary directory, emptied first.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("layers")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const PLANTED_LAYERS: &[(&str, &[&str])] = &[
    ("base", &["diag", "text"]),
    ("model", &["suite"]),
    ("report", &["report"]),
];

#[test]
fn a_planted_upward_use_is_named_with_its_place_and_layers() {
    let src = scratch(
        "upward",
        &[
            ("lib.rs", "pub mod diag;\npub mod suite;\npub mod report;\n"),
            ("diag.rs", "//! Uses crate::report only in a comment.\n"),
            (
                "suite/mod.rs",
                "//! The model.\nuse crate::diag::Diagnostic;\n\npub fn f() {\n    let _ = crate::report::render;\n}\n\n#[cfg(test)]\nmod tests;\n",
            ),
            ("suite/tests.rs", "use crate::report::render;\n"),
            ("report.rs", "use crate::{diag, suite::Suite};\n"),
        ],
    );
    assert_eq!(
        violations(&src, PLANTED_LAYERS, &[]),
        [
            "src/suite/mod.rs:5:20: `suite` (layer model) uses `report` (layer report), a higher layer"
        ]
    );
    assert_eq!(
        violations(
            &src,
            PLANTED_LAYERS,
            &[("suite", "report", "planted"), ("diag", "suite", "gone")]
        ),
        [
            "tests/layers.rs: the allowed edge `diag` -> `suite` is gone from the code: remove it from ALLOWED"
        ]
    );
}

#[test]
fn a_planted_cycle_in_one_layer_is_named_with_both_places() {
    let src = scratch(
        "cycle",
        &[
            ("lib.rs", "pub mod diag;\npub mod text;\npub mod extra;\n"),
            (
                "diag.rs",
                "use crate::{\n    pointer,\n    text::{self, Span},\n};\n",
            ),
            (
                "text.rs",
                "pub fn f() {\n    crate::diag::emit();\n}\n#[cfg(test)]\nmod tests {\n    use crate::extra;\n}\n",
            ),
            ("extra.rs", "use crate::diag;\n"),
        ],
    );
    assert_eq!(
        violations(&src, PLANTED_LAYERS, &[]),
        [
            "src/extra: the area `extra` is in no layer (add it to LAYERS in tests/layers.rs and to docs/architecture.md)",
            "src/diag.rs:3:5: `diag` (layer base) and `text` (layer base) use each other; `text` uses `diag` at src/text.rs:2:12",
        ]
    );
}
