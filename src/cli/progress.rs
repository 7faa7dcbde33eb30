//! Progress bars for long runs (build, validate, diff of directories): on a terminal only,
//! never in CI logs or pipes, where they would be noise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar on standard error for `total` items, or nothing where no one watches.
pub(super) struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar saying `what` (`validating`), if standard error is a terminal, `CI` is not set and
    /// there is more than one item.
    pub(super) fn new(what: &'static str, total: usize) -> Self {
        let watched = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !watched || total < 2 {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} files, {per_sec}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(what);
        bar.tick();
        Progress(Some(bar))
    }

    /// Sets how many are done.
    pub(super) fn set(&self, done: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar, leaving the terminal as it was.
    pub(super) fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
