//! Every input the fuzzer (examples/fuzz) found a panic with stays here as a regression test:
//! files under tests/fixtures/fuzz/regressions/<target>/ go through their target again and
//! must not panic. The seeds of every target must not panic either.

#[path = "../examples/fuzz/targets.rs"]
#[expect(
    dead_code,
    reason = "the dictionaries serve the fuzzer's mutations, not these tests"
)]
mod targets;

use std::path::Path;

#[test]
fn no_seed_panics() {
    for t in targets::TARGETS {
        for seed in t.seeds {
            let _ = (t.run)(seed);
        }
    }
}

#[test]
fn no_input_that_once_panicked_panics_again() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/regressions");
    for t in targets::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(t.name)) else {
            continue;
        };
        for e in entries.flatten() {
            let input = std::fs::read(e.path()).unwrap();
            let label = (t.run)(&String::from_utf8_lossy(&input));
            assert!(!label.is_empty(), "{}", e.path().display());
        }
    }
}
