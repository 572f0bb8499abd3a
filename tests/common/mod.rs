//! Helpers shared by the black-box tests: the built binary, scratch directories, a mock in its
//! own process, secret search.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The `accord` binary, run from the repository root.
pub fn accord() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_accord"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// What a finished command said and how it ended.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command to the end and keeps its exit code and output as text.
pub fn output(cmd: &mut Command) -> Out {
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `--junit/--html/--json/--certificate` under `dir`.
pub fn report_args(dir: &Path) -> Vec<String> {
    vec![
        "--junit".into(),
        dir.join("junit.xml").display().to_string(),
        "--html".into(),
        dir.join("report.html").display().to_string(),
        "--json".into(),
        dir.join("results.json").display().to_string(),
        "--certificate".into(),
        dir.join("certificate.html").display().to_string(),
    ]
}

/// Fails if the secret appears in any report under `dir` or in the given outputs.
pub fn assert_no_secret(dir: &Path, secret: &str, outputs: &[&str]) {
    for f in [
        "junit.xml",
        "report.html",
        "results.json",
        "certificate.html",
        "manifest.json",
    ] {
        let text = std::fs::read_to_string(dir.join(f))
            .unwrap_or_else(|e| panic!("{f} was not written: {e}"));
        assert!(!text.contains(secret), "the secret leaked into {f}");
    }
    for (i, o) in outputs.iter().enumerate() {
        assert!(!o.contains(secret), "the secret leaked into output {i}");
    }
}

/// A server in its own process on a free port, which prints its base URL as the last word of
/// its first line (`accord mock`, a fixture server); killed when dropped.
pub struct MockProcess {
    child: Child,
    /// Kept open so that the server's later lines do not meet a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// The base URL the server printed first.
    pub url: String,
}

impl MockProcess {
    /// Starts `accord mock API --port 0` with further arguments and waits for its URL.
    pub fn start(api: &str, args: &[&str]) -> MockProcess {
        let mut cmd = accord();
        cmd.args(["mock", api, "--port", "0"]).args(args);
        MockProcess::spawn(cmd)
    }

    /// Starts `cmd` with its standard output piped and waits for the URL on its first line.
    pub fn spawn(mut cmd: Command) -> MockProcess {
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let url = first
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned();
        assert!(url.starts_with("http://"), "{cmd:?} said {first:?}");
        MockProcess {
            child,
            _stdout: stdout,
            url,
        }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The insta settings of the snapshots in `snapshots/<group>/`, named by the test alone.
pub fn snapshot_settings(group: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots")
            .join(group),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// `severity:check` of each finding of a case of results.json.
pub fn finding_labels(case: &serde_json::Value) -> Vec<String> {
    case["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}:{}",
                f["severity"].as_str().unwrap_or(""),
                f["check"].as_str().unwrap_or("")
            )
        })
        .collect()
}
