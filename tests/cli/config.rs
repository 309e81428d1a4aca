//! The project config: discovery, allow-lists, errors, quality overrides.

use super::*;

#[test]
fn the_config_file_is_found_walking_up_and_its_allow_list_spares_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("textscrub.toml"),
        concat!(
            "ignore = [\"scraper/share-prompt\"]\n",
            "allow = [\"Advertisement\\nfor the Fair\"]\n",
            "allow-ids = [\"keep-me\"]\n",
            "guard-share = 1.0\n",
            "[per-path-ignores]\n",
            "\"legacy/**\" = [\"names/*\"]\n",
        ),
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("legacy")).unwrap();
    fs::create_dir_all(dir.path().join("deep/er")).unwrap();
    fs::write(
        dir.path().join("legacy/old.txt"),
        "Sadır Caparov [ad_1] spoke.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("new.txt"),
        "Sadır Caparov [ad_1] spoke.\nShare\nAdvertisement\nfor the Fair\n",
    )
    .unwrap();
    scrub()
        .current_dir(dir.path().join("deep/er"))
        .args(["clean", "-q", "../../new.txt"])
        .assert()
        .success()
        .stdout("Sadyr Japarov spoke.\nShare\nAdvertisement\nfor the Fair\n");
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "legacy/old.txt"])
        .assert()
        .success()
        .stdout("Sadır Caparov spoke.\n");
    // Command-line flags win over the config.
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--ignore", "names/*", "new.txt"])
        .assert()
        .success()
        .stdout("Sadır Caparov spoke.\nAdvertisement\nfor the Fair\n");
    scrub()
        .current_dir(dir.path())
        .args(["clean", "-q", "--format", "jsonl"])
        .write_stdin("{\"id\":\"keep-me\",\"text\":\"[ad_1] x\"}\n{\"id\":\"other\",\"text\":\"[ad_1] x\"}\n")
        .assert()
        .success()
        .stdout("{\"id\":\"keep-me\",\"text\":\"[ad_1] x\"}\n{\"id\":\"other\",\"text\":\"x\"}\n");
}

#[test]
fn a_bad_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("textscrub.toml");
    for (text, expected) in [
        (
            "select = [\"scraper/*\"]\nignor = []\n",
            "textscrub.toml:2:1: unknown field `ignor`",
        ),
        (
            "select = [\n  \"scraper/ad-placeholders\",\n]\n",
            "textscrub.toml:2:3: no rule matches `scraper/ad-placeholders`",
        ),
        (
            "ignore = [\"scraper/[\"]\n",
            "textscrub.toml:1:11: invalid glob `scraper/[`",
        ),
    ] {
        fs::write(&config, text).unwrap();
        scrub()
            .current_dir(dir.path())
            .args(["check", "-"])
            .write_stdin("x")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
    scrub()
        .args(["check", "--config", "no/such/textscrub.toml", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/textscrub.toml"));
}

#[test]
fn the_config_overrides_quality_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("textscrub.toml");
    let check = |dir: &Path| {
        scrub()
            .current_dir(dir)
            .args(["check", "--drop", "--select", "quality/gopher-min-words"])
            .write_stdin("Too short to keep.\n")
            .assert()
    };
    fs::write(&config, "[quality]\n\"quality/gopher-min-words\" = 3\n").unwrap();
    check(dir.path()).code(0);
    fs::write(&config, "[quality]\n\"quality/gopher-min-words\" = 5\n").unwrap();
    check(dir.path()).code(1);
    fs::write(&config, "[quality]\n\"scraper/ad-label\" = 5\n").unwrap();
    check(dir.path()).code(2).stderr(predicate::str::contains(
        "textscrub.toml:2:1: `scraper/ad-label` is not a quality rule",
    ));
}
