//! placeholder until the report formats land
pub mod terminal {
    pub struct Progress;
    impl Progress {
        pub fn new(_live: bool) -> Self {
            Progress
        }
        pub fn on_event(&mut self, _e: &crate::run::Event) {}
    }
    pub fn summary(s: &crate::run::RunSummary, _color: bool) -> String {
        format!("{} passed, {} failed\n", s.totals.passed, s.totals.failed)
    }
}
pub fn write_all(
    _s: &crate::run::RunSummary,
    _j: &std::path::Path,
    _h: &std::path::Path,
    _x: &std::path::Path,
    _secrets: &[String],
) -> std::io::Result<()> {
    Ok(())
}
