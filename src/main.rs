//! The `teikit` binary: everything is in the library; see `teikit::cli`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    teikit::cli::run()
}
