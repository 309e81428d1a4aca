//! The seed articles: expected cleaned text, diff and change records, checked byte for
//! byte. Run with `TEXTSCRUB_BLESS=1` to rewrite the expected files after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

use textscrub::{diff, Options, Pipeline, RuleSet};

fn seeds() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir("fixtures/seeds/input")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 2, "both seed articles are present");
    paths
}

fn check(expected: &Path, actual: &str) {
    if std::env::var_os("TEXTSCRUB_BLESS").is_some() {
        fs::write(expected, actual).unwrap();
        return;
    }
    let wanted = fs::read_to_string(expected).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with TEXTSCRUB_BLESS=1 to create it)",
            expected.display()
        )
    });
    assert!(
        wanted == actual,
        "{} differs from the output:\n{}",
        expected.display(),
        diff::unified("expected", &wanted, actual)
    );
}

#[test]
fn seeds_match_their_expected_text_diff_and_changes() {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    for path in seeds() {
        let name = path.file_name().unwrap().to_str().unwrap();
        let stem = name.trim_end_matches(".txt");
        let original = fs::read_to_string(&path).unwrap();
        let outcome = pipeline.run(&original);
        let expected = Path::new("fixtures/seeds/expected");
        check(&expected.join(format!("{stem}.cleaned.txt")), &outcome.text);
        check(
            &expected.join(format!("{stem}.diff")),
            &diff::unified(name, &original, &outcome.text),
        );
        check(
            &expected.join(format!("{stem}.changes.jsonl")),
            &diff::change_records(name, &outcome.changes),
        );
    }
}

/// Every artifact named in the seeds' README is gone and every name is fixed.
#[test]
fn seed_artifacts_are_removed_and_names_fixed() {
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let mut cleaned = String::new();
    for path in seeds() {
        cleaned.push_str(&pipeline.run(&fs::read_to_string(path).unwrap()).text);
        cleaned.push('\n');
    }
    for artifact in [
        "[ad_1]",
        "date 2020-10-06",
        "Photo by",
        "EPA-EFE",
        "\nAdvertisement\n",
        "RELATED",
        "Sadır",
        "Caparov",
        "Ceenbekov",
        "Cumabekov",
        "Ala Too ",
    ] {
        assert!(
            !cleaned.contains(artifact),
            "`{artifact}` survived cleaning"
        );
    }
    for name in [
        "Sadyr Japarov",
        "Sooronbay Jeenbekov",
        "Dastanbek Jumabekov",
        "Almazbek Atambayev",
        "Kubatbek Boronov",
        "Ala-Too Square",
    ] {
        assert!(
            cleaned.contains(name),
            "`{name}` is missing from the cleaned seeds"
        );
    }
    assert!(
        !cleaned.contains("\n\n\n"),
        "no hole of blank lines is left where a line was removed"
    );
}

/// Every sentence of real reporting in the seeds survives (after its names are fixed).
#[test]
fn every_reported_sentence_survives() {
    const SENTENCES: &[&str] = &[
        // kyrgyzstan-aa-translated.txt
        "The 12 party supporters, who according to reports from the Central Election Commission had not exceeded the 7 percent election threshold, held a protest in Ala-Too Square in the capital Bishkek, demanding the cancellation of the election results.",
        "The police used tear gas and stun grenades to disperse the protesters, who number more than 5,000.",
        "The protesters, who pushed the municipal firefighters and the garbage truck against the police with stones and sticks, took the opportunity to withdraw the police and occupied the Presidential Palace and the parliament inside.",
        "According to the AA report, more than 100 people are said to have been injured in the incidents so far.",
        "On the other hand, Tolganay Stamaliyeva, press spokesman for the Presidency, reported that President Sooronbay Jeenbekov was in Bishkek.",
        "Protesters extract former president ATAMBAYEV from prison",
        "While some of the protesters were still housed in the Presidential Palace, others were heading towards Ala-Too Square and the prison where political prisoners were housed.",
        "Protesters in Ala-Too Square made announcements over loudspeakers saying “We took the Presidential Palace” and “Almazbek Atambayev and Sadyr Japarov must be released.”",
        "Protesting the results of the parliamentary elections in Kyrgyzstan, protesters removed former President Almazbek Atambayev from the prison they were occupying.",
        "Atambayev, who was pulled out of the crowd and into a car, is expected to address thousands of fans waiting for him in Ala-Too Square.",
        "Dissatisfied with the results of the elections held in Kyrgyzstan on Sunday, October 4, 12 political parties occupied the Presidency and the Parliament building after their demonstration.",
        "More than 100 policemen and protesters are said to have been injured as a result of police intervention with tear gas and sound bombs.",
        "While all these events were taking place, President Sooronbay Jeenbekov, Prime Minister Kubatbek Boronov and Speaker of Parliament Dastanbek Jumabekov have not yet made any statements.",
        "POLICE INTERVENED",
        "In Kyrgyzstan, the police intervened with supporters of political parties who protested the election results.",
        "Party leaders, members and voters, who reportedly missed the threshold in yesterday’s parliamentary elections, protested in Ala-Too Square in the capital Bishkek to protest the results.",
        "More than 5,000 people attended the show that started at noon.",
        "As speeches continued in the square, a group of protesters marched towards the Presidential Palace shouting slogans and then forced the iron bars in front of the palace.",
        "The police then used water cannons and tear gas to drive away the crowd.",
        "The protesters responded by throwing stones at the police and setting garbage containers on fire.",
        "Tension between the police and protesters still continues on the back streets, causing damage to many vehicles.",
        "Although the security forces take strict security measures in the place where the Presidential Palace is located, they do not allow journalists to enter the area.",
        "On the other hand, in the statement made by the Presidential Press Center, it was reported that President Sooronbay Jeenbekov plans to accept the leaders of 16 political parties that entered the elections tomorrow, October 4.",
        "Political parties that claim that the parliamentary elections were not held fairly demand the cancellation of the elections.",
        "According to data from the Central Electoral Commission, 12 of the 16 parties that entered the elections could not pass the threshold.",
        // kyrgyzstan-upi.txt
        "Protests erupted in Kyrgyzstan over parliamentary elections as President Sooronbay Jeenbekov called for calm on Tuesday.",
        "Oct. 6 (UPI) -- Kyrgyzstan President Sooronbay Jeenbekov called on his political opponents Tuesday to calm their supporters after protesters against parliamentary election results stormed the parliament building and presidential offices overnight and released jailed former President Almazbek Atambayev.",
        "In a statement published on his Facebook account, the pro-Kremlin president described the acts of protesters who broke into the buildings in the capital of Bishkek as an illegal attempt to seize state power.",
        "He said he ordered security forces to not open fire to prevent bloodshed and claimed that they have taken \"all possible measures\" to prevent the situation from worsening.",
        "He said he has also ordered the Central Election Commission to investigate Sunday's parliamentary elections and, \"if necessary, annul the results.\"",
        "\"I urge the leaders of political party leaders to calm their supporters and move them away from their places of concentration.",
        "I call on all my compatriots to keep the peace and not give in to the calls of the provocative forces,\" Jeenbekov said in the statement.",
        "\"I call on all forces to put the fate of the country above political ambitions and return to the legal field.\"",
        "The president's call for calm came hours after protesters stormed parliament buildings and freed Atambayev and other senior politicians from the National Security Committee jail, local news AKI Press reported.",
        "The jailbreak occurred as thousands of protesters took to the streets of Bishkek calling for the annulment of parliamentary elections held on Sunday.",
        "Clashes between police and protesters resulted in at least one death and 590 people injured, the health ministry said, according to AKI Press.",
    ];
    let pipeline = Pipeline::new(RuleSet::defaults().unwrap(), Options::default());
    let cleaned: String = seeds()
        .into_iter()
        .map(|p| pipeline.run(&fs::read_to_string(p).unwrap()).text)
        .collect::<Vec<_>>()
        .join("\n");
    for sentence in SENTENCES {
        assert!(cleaned.contains(sentence), "lost in cleaning: {sentence}");
    }
}
