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
                "{prefix} [{bar:30}] {pos}/{len} files, {rate}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // indicatif's own `{per_sec}` prints four decimals ("5,076.8871/s").
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = write!(out, "{}", files_per_second(state.per_sec()));
                },
            )
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

/// A rate as people read it: whole files a second, or one decimal under ten.
fn files_per_second(rate: f64) -> String {
    if !rate.is_finite() || rate <= 0.0 {
        "–/s".to_string()
    } else if rate < 10.0 {
        format!("{rate:.1}/s")
    } else {
        format!("{rate:.0}/s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_without_needless_decimals() {
        assert_eq!(super::files_per_second(5076.8871), "5077/s");
        assert_eq!(super::files_per_second(2.345), "2.3/s");
        assert_eq!(super::files_per_second(f64::NAN), "–/s");
    }
}
