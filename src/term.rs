//! The terminal every command shares: writing to standard output and standard error so that a
//! closed pipe ends the output quietly, whether to paint colour, and whether to be quiet.
//!
//! Rust ignores `SIGPIPE`, so a reader that goes away (`accord list | head -1`) turns the next
//! write into an `EPIPE` error, which `println!` answers with a panic. The `outln!` and
//! `errln!` macros (and `out!`, `err!`) write through [`write_out`] and [`write_err`]
//! instead: the first broken pipe marks that stream closed and every later write to it is
//! dropped, so the command finishes its work (a run still writes its reports) and exits with its
//! own code.
//!
//! Colour follows `--color auto|always|never` ([`ColorChoice`]). `auto` honours `NO_COLOR`
//! (any non-empty value turns colour off, and wins), then `CLICOLOR_FORCE` (any value but `0`
//! turns it on), then `CLICOLOR=0` and `TERM=dumb` (off), and otherwise paints only a terminal.
//! [`init`] records the choice and `--quiet` once, at start-up.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--color`: when to paint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless the environment says otherwise.
    #[default]
    Auto,
    /// Always colour, even into a file or pipe.
    Always,
    /// Never colour.
    Never,
}

/// The choices made on the command line, shared by every command.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub color: ColorChoice,
    /// Print only problems and the closing line.
    pub quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records the command line's choices; later calls keep the first.
pub fn init(settings: Settings) {
    let _ = SETTINGS.set(settings);
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or_default()
}

/// True under `--quiet`.
pub fn quiet() -> bool {
    settings().quiet
}

/// Whether standard output is painted.
pub fn color_stdout() -> bool {
    wants_color(settings().color, std::io::stdout().is_terminal(), |name| {
        std::env::var(name).ok()
    })
}

/// Whether standard error is painted.
pub fn color_stderr() -> bool {
    wants_color(settings().color, std::io::stderr().is_terminal(), |name| {
        std::env::var(name).ok()
    })
}

/// The colour decision for one stream, given whether it is a terminal and the environment.
pub fn wants_color(
    choice: ColorChoice,
    terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => return true,
        ColorChoice::Never => return false,
        ColorChoice::Auto => {}
    }
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if set("CLICOLOR").is_some_and(|v| v == "0") || set("TERM").is_some_and(|v| v == "dumb") {
        return false;
    }
    terminal
}

/// Writes to standard output; after a broken pipe, writes nothing.
pub fn write_out(args: fmt::Arguments<'_>) {
    write_to(&mut std::io::stdout().lock(), &STDOUT_CLOSED, args);
}

/// Writes to standard error; after a broken pipe, writes nothing.
pub fn write_err(args: fmt::Arguments<'_>) {
    write_to(&mut std::io::stderr().lock(), &STDERR_CLOSED, args);
}

/// Writes `args`, marking the stream closed on a broken pipe. Other write errors are dropped
/// too: there is nowhere left to say them.
fn write_to(w: &mut impl Write, closed: &AtomicBool, args: fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if let Err(e) = w.write_fmt(args).and_then(|()| w.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        closed.store(true, Ordering::Relaxed);
    }
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::term::write_out(format_args!($($arg)*)) };
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    () => { $crate::term::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::term::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that survives a closed pipe.
macro_rules! err {
    ($($arg:tt)*) => { $crate::term::write_err(format_args!($($arg)*)) };
}

/// `eprintln!` that survives a closed pipe.
macro_rules! errln {
    () => { $crate::term::write_err(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::term::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {err, errln, out, outln};

/// Formats milliseconds as seconds with two decimals (`1.23s`).
pub fn seconds(ms: u64) -> String {
    format!("{}.{:02}s", ms / 1000, (ms % 1000) / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn auto_paints_only_a_terminal() {
        assert!(wants_color(ColorChoice::Auto, true, env(&[])));
        assert!(!wants_color(ColorChoice::Auto, false, env(&[])));
    }

    #[test]
    fn no_color_wins_over_force_and_terminal() {
        let both = [("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")];
        assert!(!wants_color(ColorChoice::Auto, true, env(&both)));
        assert!(!wants_color(
            ColorChoice::Auto,
            true,
            env(&[("NO_COLOR", "yes")])
        ));
        assert!(
            wants_color(ColorChoice::Auto, true, env(&[("NO_COLOR", "")])),
            "an empty NO_COLOR is unset"
        );
    }

    #[test]
    fn clicolor_force_paints_a_pipe() {
        assert!(wants_color(
            ColorChoice::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!wants_color(
            ColorChoice::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(!wants_color(
            ColorChoice::Auto,
            true,
            env(&[("CLICOLOR", "0")])
        ));
        assert!(!wants_color(
            ColorChoice::Auto,
            true,
            env(&[("TERM", "dumb")])
        ));
    }

    #[test]
    fn the_flag_overrides_the_environment() {
        let no = [("NO_COLOR", "1")];
        assert!(wants_color(ColorChoice::Always, false, env(&no)));
        let force = [("CLICOLOR_FORCE", "1")];
        assert!(!wants_color(ColorChoice::Never, true, env(&force)));
    }

    struct Closed(usize);

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            self.0 += 1;
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_broken_pipe_closes_the_stream_for_good() {
        let closed = AtomicBool::new(false);
        let mut w = Closed(0);
        write_to(&mut w, &closed, format_args!("one\n"));
        assert!(closed.load(Ordering::Relaxed));
        write_to(&mut w, &closed, format_args!("two\n"));
        assert_eq!(w.0, 1, "nothing is written after the pipe broke");
    }

    #[test]
    fn seconds_keep_two_decimals() {
        assert_eq!(seconds(1234), "1.23s");
        assert_eq!(seconds(5), "0.00s");
        assert_eq!(seconds(60_070), "60.07s");
    }
}
