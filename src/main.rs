//! The `okr` command line: parses arguments, runs the pipeline stages in
//! `okr::…`, prints, and sets the exit status (0 ok, 1 findings, 2 usage or I/O).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}

/// mimalloc: the pipeline builds many small values on every thread, where
/// glibc's allocator cost `okr diff` and `okr check` 15–20% of their time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
