//! Fuzzing accord's loaders on the stable toolchain: every input format a user hands accord
//! (OpenAPI and Swagger documents, suites, profiles, waivers, results.json for baselines, merge
//! and replay, report manifests) is fed mutated inputs until a count or a time is reached, and
//! every panic is counted and its input saved.
//!
//! This is a structure-aware mutational fuzzer, not a coverage-guided one: nothing instruments
//! the code. It starts from real inputs of each format ([`targets`]), stacks text and tree
//! mutations on them ([`mutate`]), and keeps an input in its corpus when it reaches an outcome
//! (a kind of diagnostic) no earlier input reached. docs/fuzzing.md says how to run it:
//!
//! ```text
//! cargo run --release --example fuzz -- all --inputs 1000000
//! cargo run --example fuzz -- suite --seconds 20 --seed 7
//! ```

mod mutate;
mod targets;

use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use mutate::Rng;
use targets::{TARGETS, Target};

/// Longest input tried; longer mutants are cut.
const MAX_INPUT: usize = 64 * 1024;
/// Most inputs kept in a target's corpus.
const MAX_CORPUS: usize = 2000;

struct Options {
    targets: Vec<&'static Target>,
    inputs: u64,
    seconds: f64,
    seed: u64,
    crashes: PathBuf,
}

const USAGE: &str = "usage: fuzz [all|openapi|suite|profile|waivers|results|manifest]... \
[--inputs N] [--seconds S] [--seed N] [--crashes DIR]";

fn options() -> Result<Options, String> {
    let mut o = Options {
        targets: Vec::new(),
        inputs: 1_000_000,
        seconds: f64::INFINITY,
        seed: 1,
        crashes: PathBuf::from("target/fuzz-crashes"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match a.as_str() {
            "--inputs" => o.inputs = value(&a)?.parse().map_err(|e| format!("--inputs: {e}"))?,
            "--seconds" => o.seconds = value(&a)?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => o.seed = value(&a)?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--crashes" => o.crashes = PathBuf::from(value(&a)?),
            "all" => o.targets.extend(TARGETS.iter()),
            "-h" | "--help" => return Err(USAGE.into()),
            name => match TARGETS.iter().find(|t| t.name == name) {
                Some(t) => o.targets.push(t),
                None => return Err(format!("no target `{name}`\n{USAGE}")),
            },
        }
    }
    if o.targets.is_empty() {
        o.targets.extend(TARGETS.iter());
    }
    Ok(o)
}

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{info}{at}")));
    }));
    println!(
        "{:<9} {:>10} {:>9} {:>10} {:>7} {:>7} {:>11}",
        "target", "inputs", "seconds", "inputs/s", "panics", "corpus", "slowest ms"
    );
    let mut panics = 0;
    for t in &o.targets {
        let r = fuzz(t, &o);
        println!(
            "{:<9} {:>10} {:>9.1} {:>10.0} {:>7} {:>7} {:>11.1}",
            t.name,
            r.inputs,
            r.time.as_secs_f64(),
            r.inputs as f64 / r.time.as_secs_f64().max(1e-9),
            r.panics,
            r.corpus,
            r.slowest.as_secs_f64() * 1000.0
        );
        for (message, file) in &r.first_panics {
            println!("  panic: {message}\n  input: {}", file.display());
        }
        panics += r.panics;
    }
    if panics == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Report {
    inputs: u64,
    time: Duration,
    panics: u64,
    corpus: usize,
    slowest: Duration,
    first_panics: Vec<(String, PathBuf)>,
}

fn fuzz(t: &Target, o: &Options) -> Report {
    let mut rng = Rng::new(o.seed ^ t.name.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
    let mut corpus: Vec<String> = t.seeds.iter().map(|s| (*s).to_owned()).collect();
    let mut seen = HashSet::new();
    let mut r = Report {
        inputs: 0,
        time: Duration::ZERO,
        panics: 0,
        corpus: 0,
        slowest: Duration::ZERO,
        first_panics: Vec::new(),
    };
    let start = Instant::now();
    let mut next = 0;
    while r.inputs < o.inputs && start.elapsed().as_secs_f64() < o.seconds {
        let input = if next < t.seeds.len() {
            next += 1;
            t.seeds[next - 1].to_owned()
        } else {
            let a = rng.below(corpus.len());
            let b = rng.below(corpus.len());
            let mut m = mutate::mutate(&mut rng, &corpus[a], &corpus[b], t.dictionary);
            if m.len() > MAX_INPUT {
                let mut cut = MAX_INPUT;
                while !m.is_char_boundary(cut) {
                    cut -= 1;
                }
                m.truncate(cut);
            }
            m
        };
        r.inputs += 1;
        let clock = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| (t.run)(&input)));
        r.slowest = r.slowest.max(clock.elapsed());
        match outcome {
            Ok(label) => {
                if seen.insert(label) && corpus.len() < MAX_CORPUS {
                    corpus.push(input);
                }
            }
            Err(_) => {
                r.panics += 1;
                let message = PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
                let file = save(o, t.name, &input, &message);
                if r.first_panics.len() < 5 {
                    r.first_panics.push((message, file));
                }
            }
        }
    }
    r.time = start.elapsed();
    r.corpus = corpus.len();
    r
}

/// Writes a panicking input (and its panic message beside it) under the crashes directory.
fn save(o: &Options, target: &str, input: &str, message: &str) -> PathBuf {
    let dir = o.crashes.join(target);
    let _ = std::fs::create_dir_all(&dir);
    let name = accord::digest::sha256_hex(input.as_bytes());
    let file = dir.join(&name[..16]);
    let _ = std::fs::write(&file, input);
    let _ = std::fs::write(file.with_extension("panic"), message);
    file
}
