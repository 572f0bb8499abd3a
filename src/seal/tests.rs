use std::path::{Path, PathBuf};

use super::keys::SigningKey;
use super::verify::{FileState, Options, Signature, verify};
use super::*;
use crate::report::fixture;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("accord-seal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a results.json and a report next to it and seals them.
fn sealed(dir: &Path, key: Option<&SigningKey>) -> RunSummary {
    let run = fixture::summary();
    let results = dir.join("results.json");
    std::fs::write(&results, crate::run::json::render(&run)).unwrap();
    std::fs::create_dir_all(dir.join("html")).unwrap();
    let report = dir.join("html/report.html");
    std::fs::write(&report, "<p>report</p>").unwrap();
    let written = seal(&run, dir, &[&results, &report], &results, key).unwrap();
    assert_eq!(written.len(), 1 + usize::from(key.is_some()));
    run
}

#[test]
fn sha256_matches_fips_180_vectors() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn relative_paths_stay_under_the_directory() {
    let d = Path::new("/r/reports");
    assert_eq!(
        relative(d, Path::new("/r/reports/a/b.xml")).as_deref(),
        Some("a/b.xml")
    );
    assert_eq!(
        relative(d, Path::new("/r/reports/./x/../c.json")).as_deref(),
        Some("c.json")
    );
    assert_eq!(relative(d, Path::new("/r/other/c.json")), None);
    assert_eq!(relative(d, d), None);
}

#[test]
fn an_untouched_directory_verifies() {
    let dir = Dir::new("intact");
    sealed(&dir.0, None);
    let v = verify(&dir.0, &Options::default()).unwrap();
    assert!(v.holds(), "{}", v.render());
    assert_eq!(v.signature, Signature::Unsigned);
    let text = v.render();
    assert!(text.contains("  ok       html/report.html\n"), "{text}");
    assert!(
        text.contains("verified: 2 files match the manifest"),
        "{text}"
    );
    let strict = Options {
        require_signature: true,
        ..Options::default()
    };
    let v = verify(&dir.0, &strict).unwrap();
    assert!(!v.holds());
    assert!(v.render().contains("signature: MISSING"), "{}", v.render());
}

#[test]
fn a_changed_outcome_is_named_by_case() {
    let dir = Dir::new("outcome");
    let run = sealed(&dir.0, None);
    let path = dir.0.join("results.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    value["cases"][1]["outcome"] = "passed".into();
    value["cases"][0]["duration_ms"] = 999.into();
    value["totals"]["failed"] = 0.into();
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let v = verify(&dir.0, &Options::default()).unwrap();
    assert!(!v.holds());
    let text = v.render();
    let failed = &run.cases[1].name;
    let first = &run.cases[0].name;
    assert!(
        text.contains(&format!("case {failed}: outcome was failed, now passed")),
        "{text}"
    );
    assert!(
        text.contains(&format!("case {first}: record changed (outcome still")),
        "{text}"
    );
    assert!(text.contains("field `totals` changed"), "{text}");
    assert!(text.contains("  CHANGED  results.json: sha256 "), "{text}");
    assert!(text.contains("NOT VERIFIED: 1 of 2 files differ"), "{text}");
}

#[test]
fn missing_extra_and_reformatted_files_are_told_apart() {
    let dir = Dir::new("files");
    sealed(&dir.0, None);
    std::fs::remove_file(dir.0.join("html/report.html")).unwrap();
    std::fs::write(dir.0.join("notes.txt"), "x").unwrap();
    let path = dir.0.join("results.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    let v = verify(&dir.0, &Options::default()).unwrap();
    let text = v.render();
    assert!(
        v.files
            .iter()
            .any(|(p, s)| p == "html/report.html" && *s == FileState::Missing)
    );
    assert_eq!(v.extra, vec!["notes.txt".to_owned()]);
    assert!(
        text.contains("only layout (whitespace or order) changed"),
        "{text}"
    );
    assert!(text.contains("  extra    notes.txt: not listed"), "{text}");
}

#[test]
fn signatures_hold_and_catch_a_changed_manifest_and_the_wrong_key() {
    let dir = Dir::new("signed");
    let (key, _) = SigningKey::generate().unwrap();
    sealed(&dir.0, Some(&key));
    let pinned = Options {
        public_key: Some(key.public()),
        require_signature: false,
    };
    let v = verify(&dir.0, &pinned).unwrap();
    assert!(v.holds(), "{}", v.render());
    assert!(v.render().contains("by the expected key SHA256:"));

    let (other, _) = SigningKey::generate().unwrap();
    let wrong = Options {
        public_key: Some(other.public()),
        require_signature: false,
    };
    let v = verify(&dir.0, &wrong).unwrap();
    assert!(matches!(v.signature, Signature::WrongKey { .. }), "{v:?}");
    assert!(!v.holds());

    // Rewriting the manifest to match a tampered file breaks the signature.
    let manifest_path = dir.0.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    std::fs::write(dir.0.join("html/report.html"), "<p>forged</p>").unwrap();
    let forged = text.replace(&sha256_hex(b"<p>report</p>"), &sha256_hex(b"<p>forged</p>"));
    assert_ne!(forged, text);
    std::fs::write(&manifest_path, forged).unwrap();
    let v = verify(&dir.0, &Options::default()).unwrap();
    assert!(matches!(v.signature, Signature::Invalid { .. }), "{v:?}");
    assert!(
        v.files.iter().all(|(_, s)| *s == FileState::Intact),
        "the forged manifest matches the files"
    );
    assert!(!v.holds());
    assert!(v.render().contains("signature: INVALID"), "{}", v.render());
}

#[test]
fn resealing_without_a_key_removes_an_old_signature() {
    let dir = Dir::new("reseal");
    let (key, _) = SigningKey::generate().unwrap();
    sealed(&dir.0, Some(&key));
    assert!(dir.0.join(SIGNATURE_FILE).exists());
    sealed(&dir.0, None);
    assert!(!dir.0.join(SIGNATURE_FILE).exists());
}

#[test]
fn a_manifest_cannot_send_verify_outside_its_directory() {
    let dir = Dir::new("outside");
    sealed(&dir.0, None);
    let path = dir.0.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"html/report.html\"", "\"../../etc/passwd\"");
    std::fs::write(&path, text).unwrap();
    let v = verify(&dir.0, &Options::default()).unwrap();
    assert!(
        v.files
            .iter()
            .any(|(p, s)| p == "../../etc/passwd" && *s == FileState::Outside)
    );
    assert!(!v.holds());
}

#[test]
fn an_unreadable_manifest_is_an_error_with_its_position() {
    let dir = Dir::new("broken");
    std::fs::write(dir.0.join(MANIFEST_FILE), "{\n  \"format\": 1,\n  oops\n}").unwrap();
    let err = verify(&dir.0, &Options::default()).unwrap_err();
    assert!(err.contains("manifest.json:3:"), "{err}");
    let none = Dir::new("none");
    assert!(
        verify(&none.0, &Options::default())
            .unwrap_err()
            .contains("cannot read")
    );
}
