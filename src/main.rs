//! The `textscrub` binary: parse arguments, call the library, map the result to an exit
//! status (0 success, 1 findings, 2 error).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    // An interrupted run leaves no temporary output files behind.
    if let Err(error) = textscrub::io::remove_temporary_files_on_signals() {
        let _ = writeln!(
            std::io::stderr(),
            "textscrub: warning: cannot watch for signals: {error}"
        );
    }
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
            // Standard error may be closed too (`2>&1 | head`): never panic over it.
            let _ = writeln!(std::io::stderr(), "textscrub: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: a cause whose text the message already holds
/// (an error that prints its source) is not repeated.
fn message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}
