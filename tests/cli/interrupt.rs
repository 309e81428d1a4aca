//! `SIGINT` at any moment of `clean -o … --changes … --diff=…` over existing files leaves
//! either every previous file or every new one, no temporary file, and says which. An
//! interrupted run ends by the signal, which a shell shows as status 130.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const OUTPUTS: [&str; 3] = ["out.jsonl", "ch.jsonl", "d.diff"];

fn run(dir: &Path, corpus: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_textscrub"))
        .current_dir(dir)
        .args([
            "clean",
            "-q",
            "-o",
            "out.jsonl",
            "--changes",
            "ch.jsonl",
            "--diff=d.diff",
        ])
        .arg(corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Ended by `SIGINT` (a shell's status 130), or exited with 130.
fn interrupted(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(libc::SIGINT) || status.code() == Some(130)
}

/// The files in `dir`, by name, with their contents.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (name, fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn sigint_leaves_all_old_outputs_or_all_new_ones_and_no_temporary() {
    let root = tempfile::tempdir().unwrap();
    // Big enough that a run takes a while: the scraped pages, four times over.
    let corpus = root.path().join("corpus.jsonl");
    let pages = fs::read_to_string("fixtures/scraped-dev/docs.jsonl").unwrap();
    fs::write(&corpus, pages.repeat(4)).unwrap();

    let fresh = root.path().join("fresh");
    fs::create_dir(&fresh).unwrap();
    let started = Instant::now();
    assert!(run(&fresh, &corpus).wait().unwrap().success());
    let whole = started.elapsed();
    let new = contents(&fresh);
    let old: Vec<(String, Vec<u8>)> = {
        let mut old: Vec<_> = OUTPUTS
            .iter()
            .map(|name| (name.to_string(), format!("previous {name}\n").into_bytes()))
            .collect();
        old.sort();
        old
    };
    assert_eq!(new.len(), 3);

    // From early in the run to past its end, closest together near the commit.
    let shares = [0.1, 0.5, 0.8, 0.9, 0.95, 0.98, 1.0, 1.02, 1.05, 1.1, 1.2];
    let (mut kept_old, mut got_new) = (0, 0);
    for (attempt, share) in shares.iter().enumerate() {
        let dir = root.path().join(format!("try-{attempt}"));
        fs::create_dir(&dir).unwrap();
        for (name, bytes) in &old {
            fs::write(dir.join(name), bytes).unwrap();
        }
        let child = run(&dir, &corpus);
        std::thread::sleep(whole.mul_f64(*share));
        // SAFETY: signals a child this test started and has not yet reaped.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let found = contents(&dir);
        let what = format!("at {share} of {whole:?}: {:?}, {stderr}", output.status);
        if found == old {
            kept_old += 1;
            assert!(interrupted(&output.status), "{what}");
            assert!(
                stderr
                    .contains("interrupted: no output file written, previous files left unchanged"),
                "{what}"
            );
        } else {
            let names: Vec<&String> = found.iter().map(|(name, _)| name).collect();
            assert!(found == new, "{what}: mixed or extra files {names:?}");
            got_new += 1;
            if interrupted(&output.status) {
                assert!(
                    stderr.contains("interrupted after the outputs were written"),
                    "{what}"
                );
            } else {
                assert!(output.status.success(), "{what}");
            }
        }
    }
    println!(
        "{} tries: {kept_old} kept every old file, {got_new} wrote every new one",
        shares.len()
    );
    assert!(kept_old > 0, "no try interrupted the run");
}
