//! The `teikit` binary: everything is in the library; see `teikit::cli`.

fn main() -> std::process::ExitCode {
    teikit::cli::run()
}
