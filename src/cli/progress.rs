//! Progress bars for long runs (build, validate, diff of directories): on a terminal only,
//! never in CI logs or pipes, where they would be noise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::OnceLock;

/// A bar on standard error, drawn from the first report of progress (when the number of items
/// is known), or nothing where no one watches.
pub(super) struct Progress {
    what: &'static str,
    bar: OnceLock<Option<ProgressBar>>,
}

impl Progress {
    /// A bar saying `what` (`validating`).
    pub(super) fn new(what: &'static str) -> Self {
        Progress {
            what,
            bar: OnceLock::new(),
        }
    }

    /// `done` of `total` items are done (from any thread). The bar shows if standard error is a
    /// terminal, `CI` is not set and there is more than one item.
    pub(super) fn set(&self, done: usize, total: usize) {
        let bar = self.bar.get_or_init(|| {
            let watched = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
            (watched && total > 1).then(|| self.draw(total))
        });
        if let Some(bar) = bar {
            bar.set_position(done as u64);
        }
    }

    fn draw(&self, total: usize) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} files, {per_sec}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(self.what);
        bar.tick();
        bar
    }

    /// Removes the bar, leaving the terminal as it was.
    pub(super) fn finish(self) {
        if let Some(Some(bar)) = self.bar.into_inner() {
            bar.finish_and_clear();
        }
    }
}
