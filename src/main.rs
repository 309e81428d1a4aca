//! The `textscrub` binary: parse arguments, call the library, map the result to an exit
//! status (0 success, 1 findings, 2 error).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(status) => status.into(),
        Err(err) => {
            // A closed pipe (`textscrub clean … | head`) is not a failure.
            let broken_pipe = err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("textscrub: {err:#}");
            ExitCode::from(2)
        }
    }
}
