//! The `okr` command line: parses arguments, runs the pipeline stages in
//! `okr::…`, prints, and sets the exit status (0 ok, 1 findings, 2 usage or I/O).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
