//! Certification reports and their seal through the real command line: the certificate states
//! what was tested and against which files, the manifest covers every report, a signature
//! binds it to a key, and `accord verify` names exactly what changed.

mod common;

use common::Out;

use std::path::Path;

use serde_json::Value;

fn accord(args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = common::accord();
    cmd.args(args)
        .env_remove("ACCORD_SIGNING_KEY")
        .env_remove("ACCORD_SIGNING_KEY_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::output(&mut cmd)
}

fn run_into(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Out {
    let mut args: Vec<String> = vec!["run".into(), "suites/cdr".into()];
    args.extend(common::report_args(dir));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    accord(&args, env)
}

fn verify(dir: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["verify", dir.to_str().unwrap()];
    args.extend(extra);
    accord(&args, &[])
}

fn sha256(path: &str) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn the_certificate_names_every_input_by_digest_and_verifies() {
    let dir = common::scratch("seal-plain");
    let out = run_into(&dir, &[], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("manifest.json"), "{}", out.stderr);
    let cert = std::fs::read_to_string(dir.join("certificate.html")).unwrap();
    assert!(
        cert.contains("<span class=\"label\">Conforms</span>"),
        "verdict"
    );
    for file in [
        "suites/cdr/accounts.yaml",
        "suites/cdr/requirements.yaml",
        "specs/cdr/banking-accounts-v2.yaml",
        "specs/cdr/common.yaml",
    ] {
        let digest = sha256(file);
        assert!(
            cert.contains(&digest),
            "{file} digest {digest} not in the certificate"
        );
        assert!(
            cert.contains(&file.replace('/', "&#x2f;")),
            "{file} not named"
        );
    }
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let junit_digest = sha256(dir.join("junit.xml").to_str().unwrap());
    assert!(
        cert.contains(&junit_digest),
        "the certificate lists the JUnit digest"
    );
    assert!(
        results["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "suite" && i["path"] == "suites/cdr/accounts.yaml")
    );
    assert!(
        results["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "catalogue" && i["path"] == "suites/cdr/requirements.yaml")
    );

    let v = verify(&dir, &[]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
    assert!(
        v.stdout.contains("  ok       certificate.html"),
        "{}",
        v.stdout
    );
    assert!(
        v.stdout.contains("verified: 4 files match the manifest"),
        "{}",
        v.stdout
    );

    // A passing verdict edited into results.json is named down to the case.
    let path = dir.join("results.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = results["cases"][0]["name"].as_str().unwrap().to_owned();
    let mut edited: Value = serde_json::from_str(&text).unwrap();
    edited["cases"][0]["outcome"] = "failed".into();
    std::fs::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    std::fs::remove_file(dir.join("junit.xml")).unwrap();
    let v = verify(&dir, &[]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        v.stdout
            .contains(&format!("case {first}: outcome was passed, now failed")),
        "{}",
        v.stdout
    );
    assert!(v.stdout.contains("  MISSING  junit.xml"), "{}", v.stdout);
    assert!(
        v.stdout.contains("NOT VERIFIED: 2 of 4 files differ"),
        "{}",
        v.stdout
    );
    assert_eq!(verify(&dir, &["--require-signature"]).code, 1);
}

#[test]
fn a_signed_run_verifies_only_under_its_own_key_and_the_key_leaks_nowhere() {
    let dir = common::scratch("seal-signed");
    let keys = common::scratch("seal-keys");
    let key = keys.join("signing.pem");
    let out = accord(&["keygen", "--out", key.to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("key id:      SHA256:"),
        "{}",
        out.stdout
    );
    let again = accord(&["keygen", "--out", key.to_str().unwrap()], &[]);
    assert_eq!(again.code, 2, "an existing key is never overwritten");
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the private key is readable by others");
    }
    let public = keys.join("signing.pem.pub");

    let out = run_into(&dir, &[], &[("ACCORD_SIGNING_KEY", pem.as_str())]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(dir.join("manifest.sig").exists());
    let body = pem.lines().nth(1).unwrap();
    common::assert_no_secret(&dir, body, &[&out.stdout, &out.stderr]);
    let sig = std::fs::read_to_string(dir.join("manifest.sig")).unwrap();
    assert!(!sig.contains(body));

    let v = verify(&dir, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
    assert!(
        v.stdout
            .contains("signature: valid Ed25519 signature by the expected key SHA256:")
    );

    let other = keys.join("other.pem");
    assert_eq!(
        accord(&["keygen", "--out", other.to_str().unwrap()], &[]).code,
        0
    );
    let other_pub = format!("{}.pub", other.display());
    let v = verify(&dir, &["--public-key", &other_pub]);
    assert_eq!(v.code, 1);
    assert!(
        v.stdout.contains("signature: WRONG KEY: signed by SHA256:"),
        "{}",
        v.stdout
    );

    // Whoever edits a report and the manifest to match breaks the signature.
    let report = dir.join("report.html");
    let before = sha256(report.to_str().unwrap());
    std::fs::write(&report, "<p>all good</p>").unwrap();
    let after = sha256(report.to_str().unwrap());
    let manifest = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace(&before, &after)).unwrap();
    let v = verify(&dir, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(v.code, 1);
    assert!(v.stdout.contains("  ok       report.html"), "{}", v.stdout);
    assert!(v.stdout.contains("signature: INVALID"), "{}", v.stdout);

    // The key can come from a file too; a run without a key leaves no stale signature.
    let out = run_into(
        &dir,
        &[],
        &[("ACCORD_SIGNING_KEY_FILE", key.to_str().unwrap())],
    );
    assert_eq!(out.code, 0);
    assert_eq!(
        verify(&dir, &["--public-key", public.to_str().unwrap()]).code,
        0
    );
    let out = run_into(&dir, &[], &[]);
    assert_eq!(out.code, 0);
    assert!(!dir.join("manifest.sig").exists());
}

#[test]
fn an_unreadable_signing_key_stops_the_run_before_any_request() {
    let dir = common::scratch("seal-badkey");
    let secret = "not-a-key-but-secret-0123456789";
    let out = run_into(&dir, &[], &[("ACCORD_SIGNING_KEY", secret)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("ACCORD_SIGNING_KEY: "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(secret) && !out.stdout.contains(secret));
    assert!(!dir.join("results.json").exists(), "nothing may run");
    let out = run_into(
        &dir,
        &[],
        &[("ACCORD_SIGNING_KEY_FILE", "/nonexistent/key.pem")],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("ACCORD_SIGNING_KEY_FILE=/nonexistent/key.pem: cannot read")
    );
    let v = verify(&dir, &["--public-key", "bm90IGEga2V5"]);
    assert_eq!(v.code, 2, "{}", v.stderr);
    assert!(
        v.stderr.contains("--public-key: not an Ed25519 public key"),
        "{}",
        v.stderr
    );
    let v = verify(&dir, &[]);
    assert_eq!(v.code, 2);
    assert!(
        v.stderr.contains("manifest.json: cannot read"),
        "{}",
        v.stderr
    );
}

#[test]
fn merged_partitions_are_certified_and_sealed_as_one_run() {
    let dir = common::scratch("seal-merge");
    let mut parts = Vec::new();
    for k in 1..=2 {
        let part = dir.join(format!("part{k}"));
        let share = format!("{k}/2");
        let out = run_into(&part, &["--partition", &share], &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let cert = std::fs::read_to_string(part.join("certificate.html")).unwrap();
        assert!(
            cert.contains("Partial run"),
            "a share certifies nothing alone"
        );
        parts.push(part.join("results.json").display().to_string());
    }
    let out_dir = dir.join("merged");
    let mut args = vec!["merge", "--out", out_dir.to_str().unwrap()];
    args.extend(parts.iter().map(String::as_str));
    let out = accord(&args, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let cert = std::fs::read_to_string(out_dir.join("certificate.html")).unwrap();
    assert!(cert.contains("<span class=\"label\">Conforms</span>"));
    assert!(cert.contains(&sha256("suites/cdr/accounts.yaml")));
    assert_eq!(verify(&out_dir, &[]).code, 0);
}
