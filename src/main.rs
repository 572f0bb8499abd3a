//! The `accord` command line; see [`accord::cli`].

fn main() -> std::process::ExitCode {
    accord::cli::main()
}
