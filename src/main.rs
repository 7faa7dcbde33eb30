//! The `teikit` binary: the command line over the library.
//!
//! `cli` parses the arguments, calls the library and prints what it returns; everything else
//! is in the library (`teikit`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
