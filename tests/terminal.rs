//! The terminal as a user meets it: closed pipes, colour, `--quiet`, and a filter that selects
//! nothing.

mod common;

use std::process::Command;

/// A case that fails under [`FAULT`], so the summary has something to paint.
const WALK: &str = "cdr::accounts::pagination-walk-default";
const FAULT: &str = "next-link-loops";

/// Runs `cmd` with standard output (and standard error too when `both`) into a pipe whose
/// reader is already gone, as `accord list | head -1` leaves it once head has its line: bash
/// starts `cmd` half a second after `true`, the reader, has exited.
fn with_closed_pipe(cmd: &Command, both: bool) -> common::Out {
    let words: Vec<String> = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|w| format!("'{}'", w.to_string_lossy()))
        .collect();
    let redirect = if both { "2>&1" } else { "" };
    let script = format!(
        "set -o pipefail; (sleep 0.5; exec {} {redirect}) | true",
        words.join(" ")
    );
    let mut bash = Command::new("bash");
    bash.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["-c", &script])
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    common::output(&mut bash)
}

fn walk_run(dir: &std::path::Path, extra: &[&str]) -> Command {
    let mut c = common::accord();
    c.args(["run", "suites/cdr", "--fault", FAULT, "--filter", WALK])
        .args(common::report_args(dir))
        .args(extra)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

#[test]
fn listings_end_quietly_when_the_reader_goes_away() {
    for args in [&["list"][..], &["checks"], &["mock", "--list-faults"]] {
        let out = with_closed_pipe(common::accord().args(args), false);
        assert_eq!(out.code, 0, "accord {args:?}: {}", out.stderr);
        assert_eq!(out.stderr, "", "accord {args:?} said something");
    }
}

#[test]
fn a_run_into_a_closed_pipe_still_writes_its_reports_and_keeps_its_exit_code() {
    let dir = common::scratch("terminal-closed-pipe");
    let out = with_closed_pipe(&walk_run(&dir, &[]), true);
    assert_eq!(
        out.code, 1,
        "the walk fails under the fault: {}",
        out.stderr
    );
    for f in [
        "junit.xml",
        "report.html",
        "results.json",
        "certificate.html",
    ] {
        assert!(dir.join(f).exists(), "{f} was not written");
    }
}

#[test]
fn a_closed_pipe_under_head_is_quiet_in_a_shell_pipeline() {
    let bin = env!("CARGO_BIN_EXE_accord");
    let out = common::output(
        Command::new("bash")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["-c", &format!("set -o pipefail; '{bin}' list | head -1")]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let dir = common::scratch("terminal-colour");
    let painted = |cmd: &mut Command| {
        let out = common::output(cmd);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        out.stdout.contains('\x1b')
    };
    assert!(!painted(&mut walk_run(&dir, &[])), "a pipe gets no escapes");
    assert!(painted(&mut walk_run(&dir, &["--color", "always"])));
    assert!(!painted(
        walk_run(&dir, &["--color", "never"]).env("CLICOLOR_FORCE", "1")
    ));
    assert!(painted(walk_run(&dir, &[]).env("CLICOLOR_FORCE", "1")));
    assert!(
        !painted(
            walk_run(&dir, &[])
                .env("CLICOLOR_FORCE", "1")
                .env("NO_COLOR", "1")
        ),
        "NO_COLOR wins"
    );
}

/// Runs the failing walk on a pseudo-terminal (util-linux `script`) and returns what the
/// terminal showed.
fn on_a_terminal(dir: &std::path::Path, env: &str) -> String {
    let mut words = vec![format!("'{}'", env!("CARGO_BIN_EXE_accord"))];
    let cmd = walk_run(dir, &[]);
    words.extend(cmd.get_args().map(|a| format!("'{}'", a.to_string_lossy())));
    let line = format!("{env} {}", words.join(" "));
    let out = common::output(
        Command::new("script")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["-qefc", &line, "/dev/null"])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm"),
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    out.stdout
}

#[test]
fn no_color_takes_the_escapes_off_a_terminal() {
    let dir = common::scratch("terminal-no-color");
    let shown = on_a_terminal(&dir, "");
    assert!(
        shown.contains("\x1b[31mFAIL"),
        "a terminal is painted: {shown:?}"
    );
    let shown = on_a_terminal(&dir, "NO_COLOR=1");
    assert!(shown.contains("FAIL"), "{shown:?}");
    assert!(
        !shown.contains("\x1b[3"),
        "no colour under NO_COLOR: {shown:?}"
    );
}

#[test]
fn a_filter_that_selects_nothing_is_exit_2_with_the_closest_names() {
    let out = common::output(common::accord().args([
        "run",
        "suites/cdr",
        "--filter",
        "pagination-walk-defualt",
    ]));
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("error: --filter `pagination-walk-defualt` selects no case"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("    {WALK}\n")),
        "{}",
        out.stderr
    );
    assert!(
        !out.stdout.contains("passed"),
        "nothing ran: {}",
        out.stdout
    );
}

#[test]
fn quiet_prints_only_the_problems_and_the_closing_line() {
    let dir = common::scratch("terminal-quiet");
    let loud = common::output(&mut walk_run(&dir, &[]));
    let quiet = common::output(&mut walk_run(&dir, &["--quiet"]));
    assert_eq!(quiet.code, 1, "{}{}", quiet.stdout, quiet.stderr);
    assert!(
        loud.stdout.contains("cdr: 0 passed, 1 failed"),
        "{}",
        loud.stdout
    );
    assert!(loud.stderr.contains("reports: "), "{}", loud.stderr);
    let lines: Vec<&str> = quiet.stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!("FAIL {WALK}")),
        "{}",
        quiet.stdout
    );
    // Warnings, when the walk draws any, are counted apart on the closing line.
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let closing = match results["totals"]["warnings"].as_u64().unwrap() {
        0 => "0 passed, 1 failed".to_owned(),
        1 => "0 passed, 1 failed, 1 warning".to_owned(),
        n => format!("0 passed, 1 failed, {n} warnings"),
    };
    assert_eq!(lines.last().copied(), Some(closing.as_str()));
    assert!(!quiet.stdout.contains("cdr: "), "{}", quiet.stdout);
    assert_eq!(quiet.stderr, "", "no progress, targets or report paths");
}
