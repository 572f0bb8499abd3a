//! Loads every OpenAPI or Swagger document under the given files and directories and prints
//! one Markdown table row per document: version, size, operations, compiled schemas, load
//! time, and the outcome (loaded, loaded with warnings, or refused with its first reason).
//!
//! `cargo run --release --example spec_corpus -- DIR...` (see docs/specs.md for a corpus).

use std::path::PathBuf;
use std::time::Instant;

use accord::openapi::Spec;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let files = accord::openapi::find_specs(&args);
    println!("| document | version | KB | operations | schemas | ms | outcome |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | --- |");
    let (mut loaded, mut warned, mut refused) = (0, 0, 0);
    for f in &files {
        let size = std::fs::metadata(f).map(|m| m.len() / 1024).unwrap_or(0);
        let started = Instant::now();
        let result = Spec::load(f);
        let ms = started.elapsed().as_millis();
        let shown = f.display();
        match result {
            Ok(spec) => {
                let outcome = match spec.warnings.first() {
                    None => {
                        loaded += 1;
                        "loaded".to_owned()
                    }
                    Some(first) => {
                        warned += 1;
                        format!(
                            "{} warnings, first: {}",
                            spec.warnings.len(),
                            cell(&first.to_string())
                        )
                    }
                };
                println!(
                    "| {shown} | {} | {size} | {} | {} | {ms} | {outcome} |",
                    spec.version,
                    spec.operations.len(),
                    spec.schema_count()
                );
            }
            Err(diags) => {
                refused += 1;
                let first = diags.iter().find(|d| !d.is_warning());
                let first = first.map(ToString::to_string).unwrap_or_default();
                println!(
                    "| {shown} | | {size} | | | {ms} | refused ({} problems): {} |",
                    diags.len(),
                    cell(&first)
                );
            }
        }
    }
    println!(
        "\n{} documents: {loaded} loaded, {warned} with warnings, {refused} refused",
        files.len()
    );
}

/// A message shortened to fit a table cell.
fn cell(text: &str) -> String {
    let short: String = text.chars().take(160).collect();
    short.replace('|', "\\|")
}
