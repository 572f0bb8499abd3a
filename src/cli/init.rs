//! `accord init SPEC`: write a starter suite derived from an OpenAPI or Swagger document
//! ([`crate::starter`]) and a profile template for the API's target and credentials.

use std::path::{Component, Path, PathBuf};

use clap::Args;

use super::print_diagnostics;
use crate::openapi::Spec;
use crate::starter::{self, Options, Starter};
use crate::term::{errln, outln};
use crate::{exit, profile};

#[derive(Args)]
pub struct InitArgs {
    /// The OpenAPI (3.0 or 3.1) or Swagger 2.0 document.
    spec: PathBuf,
    /// The API name: the suite's `api` and the profile's target (default: from the file name).
    #[arg(long, value_name = "NAME")]
    api: Option<String>,
    /// Where to write `suites/<api>/<api>.yaml` and `profiles/<api>.toml`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Replace files that exist.
    #[arg(long)]
    force: bool,
}

pub fn init(a: InitArgs) -> i32 {
    let spec = match Spec::load(&a.spec) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&d);
            return exit::INVALID_INPUT;
        }
    };
    let api = a.api.clone().unwrap_or_else(|| starter::api_name(&a.spec));
    let suite_dir = a.dir.join("suites").join(&api);
    let suite_path = suite_dir.join(format!("{api}.yaml"));
    let profile_path = a.dir.join("profiles").join(format!("{api}.toml"));
    if !a.force {
        for p in [&suite_path, &profile_path] {
            if p.exists() {
                errln!("error: {} exists; pass --force to replace it", p.display());
                return exit::INVALID_INPUT;
            }
        }
    }
    let written = std::fs::create_dir_all(&suite_dir)
        .and_then(|()| std::fs::create_dir_all(a.dir.join("profiles")))
        .map_err(|e| e.to_string())
        .and_then(|()| relative(&a.spec, &suite_dir))
        .and_then(|spec_ref| {
            let s = starter::suite(
                &spec,
                &Options {
                    api: api.clone(),
                    spec_ref,
                },
            );
            std::fs::write(&suite_path, &s.text)
                .and_then(|()| std::fs::write(&profile_path, profile_template(&api, &spec, &s)))
                .map_err(|e| e.to_string())
                .map(|()| s)
        });
    let s = match written {
        Ok(s) => s,
        Err(e) => {
            errln!("error: cannot write the starter files: {e}");
            return exit::INVALID_INPUT;
        }
    };
    outln!(
        "wrote {} ({} cases, one per operation)",
        suite_path.display(),
        s.cases.len()
    );
    outln!("wrote {}", profile_path.display());
    outln!(
        "next: accord lint {0} && accord run {0} --env {1}",
        suite_dir.display(),
        profile_path.display()
    );
    exit::PASS
}

/// The profile template: the target's base URL and where each credential comes from.
fn profile_template(api: &str, spec: &Spec, s: &Starter) -> String {
    let mut t = format!(
        "# Where the {api} implementation under test runs, and where its credentials come from.\n\
         # Use it with `accord run suites/{api} --env profiles/{api}.toml`.\nname = \"{api}\"\n\n[targets.{api}]\n\
         # The URL the implementation serves, with the document's base path (`{}`).\n\
         base_url = \"http://localhost:8080{}\"\n\
         # Cases marked destructive change state; off loopback they run only when allowed.\n\
         # allow_destructive = true\n",
        spec.base_path, spec.base_path
    );
    if !s.credentials.is_empty() {
        t.push_str(&format!(
            "\n# Secrets are read from the environment (or `file = \"...\"`), never written here.\n[targets.{api}.secrets]\n"
        ));
        for c in &s.credentials {
            t.push_str(&format!(
                "{} = {{ env = \"{}\" }}   # {}\n",
                c.variable,
                profile::env_var_name(api, &c.variable),
                c.holds
            ));
        }
    } else {
        t.push_str(&format!(
            "\n# The document declares no credentials (no securitySchemes). Where the implementation\n\
             # wants some anyway, send them with every request, the value read from the environment:\n\
             # [targets.{api}.headers]\n\
             # authorization = {{ env = \"{}\" }}   # the whole value: Bearer ...\n",
            profile::env_var_name(api, "authorization")
        ));
    }
    t
}

/// `target` as a path relative to `from` (a directory), both taken from the current directory.
fn relative(target: &Path, from: &Path) -> Result<String, String> {
    let abs = |p: &Path| std::fs::canonicalize(p).map_err(|e| format!("{}: {e}", p.display()));
    let (target, from) = (abs(target)?, abs(from)?);
    let t: Vec<Component> = target.components().collect();
    let f: Vec<Component> = from.components().collect();
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Ok(out.to_string_lossy().replace('\\', "/"))
}
