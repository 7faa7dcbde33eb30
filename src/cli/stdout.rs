//! Standard output that a reader going away cannot break.
//!
//! `print!` panics when a write fails, and a write fails as soon as the reader of a pipe exits:
//! `teikit diff a.xml b.xml | head` would end in a panic. Writes here go through [`write`]: after
//! a closed pipe the rest of the output is dropped and the command ends with its own status (as
//! diff(1) would have, had the pipe not cut it short); any other failure (a full disk) is
//! reported once on standard error and makes the status 2 ([`failed`]).

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);
static FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to standard output, unless an earlier write found it closed or failing.
pub(super) fn write(args: fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) || FAILED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            CLOSED.store(true, Ordering::Relaxed);
        } else {
            FAILED.store(true, Ordering::Relaxed);
            eprintln!("error: cannot write to standard output: {e}");
        }
    }
}

/// Whether writing to standard output failed for a reason other than a closed pipe.
pub(super) fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::stdout::write(format_args!($($arg)*)) };
}

/// `println!` through [`write`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(super) use {out, outln};
