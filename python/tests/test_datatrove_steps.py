"""The drop-in datatrove steps (`textscrub.datatrove.GopherQualityFilter`, ...) against
datatrove 0.10.1's own classes: the same recipe on the same documents must keep the same
documents with the same texts, drop the others for the same reasons, and write the same
MinHash signature files."""

from __future__ import annotations

import filecmp
import json
import random
from pathlib import Path

import pytest

pytest.importorskip("datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.pipeline import filters as dt_filters  # noqa: E402
from datatrove.pipeline import formatters as dt_formatters  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import textscrub.datatrove as ours  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["deu_Latn", "spa_Latn", "rus_Cyrl", "fra_Latn", "arb_Arab"]


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def fineweb2_config(language: str) -> dict:
    data = json.loads((ROOT / "rules" / "quality" / "fineweb-2.json").read_text(encoding="utf-8"))
    return data["languages"][language]


def fineweb2_stage(m_filters, m_formatters, language: str, writer):
    """FineWeb-2's filtering stage for `language` (fineweb-2-pipeline.py), then its PII and
    symbol-line formatters; `m_*` are datatrove's modules or ours."""
    cfg = fineweb2_config(language)
    return [
        m_filters.GopherRepetitionFilter(
            language=language, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
            dup_line_frac=cfg["dup_line_frac"], top_n_grams=tuple(map(tuple, cfg["top_n_grams"])),
            dup_n_grams=tuple(map(tuple, cfg["dup_n_grams"])), exclusion_writer=writer("repetition"),
        ),
        m_filters.FineWebQualityFilter(
            language=language, short_line_thr=999, char_duplicates_ratio=0.1,
            line_punct_thr=cfg["line_punct_thr"], new_line_ratio=cfg["new_line_ratio"],
            exclusion_writer=writer("fineweb"),
        ),
        m_filters.GopherQualityFilter(
            language=language, max_avg_word_length=cfg["max_avg_word_length"],
            min_avg_word_length=cfg["min_avg_word_length"], stop_words=cfg["stopwords"],
            max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"], min_stop_words=2,
            exclusion_writer=writer("gopher"),
        ),
        m_formatters.PIIFormatter(),
        m_formatters.SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n"),
    ]


def fineweb_english_stage(m_filters, _m_formatters, _language, writer):
    """FineWeb's English filtering stage (its process_common_crawl_dump.py)."""
    return [
        m_filters.GopherRepetitionFilter(exclusion_writer=writer("repetition")),
        m_filters.GopherQualityFilter(exclusion_writer=writer("gopher")),
        m_filters.C4QualityFilter(filter_no_terminal_punct=False, exclusion_writer=writer("c4")),
        m_filters.FineWebQualityFilter(exclusion_writer=writer("fineweb")),
    ]


def run(stage, modules, records, language, folder: Path):
    """(kept [(id, text)], dropped {id: (filter, reason)}) of the stage on the records."""

    def writer(name):
        return JsonlWriter(str(folder / name), compression=None)

    steps = stage(*modules, language, writer)
    documents = iter(Document(text=r["text"], id=r["id"], metadata={}) for r in records)
    for step in steps:
        documents = step.run(documents, rank=0, world_size=1)
    kept = [(d.id, d.text) for d in documents]
    dropped = {}
    for path in sorted(folder.glob("*/*.jsonl")):
        for row in read_jsonl(path):
            dropped[row["id"]] = (path.parent.name, row["metadata"].get("filter_reason"))
    return kept, dropped


def corpus(path: Path, language=None) -> list:
    records = read_jsonl(path)
    if language:
        records = [r for r in records if r.get("language") == language]
    return [{"id": r["id"], "text": r["text"]} for r in records]


@pytest.mark.parametrize("language", LANGUAGES)
def test_fineweb2_stage_matches_datatrove(language, tmp_path):
    records = corpus(ROOT / "fixtures" / "multilingual" / "docs.jsonl", language)
    # The language's pages, then the English scraped pages judged as that language (more
    # drops, and the formatters' e-mails and tables).
    records += corpus(ROOT / "fixtures" / "scraped-dev" / "docs.jsonl")[:40]
    theirs = run(fineweb2_stage, (dt_filters, dt_formatters), records, language, tmp_path / "theirs")
    mine = run(fineweb2_stage, (ours, ours), records, language, tmp_path / "ours")
    assert mine[1] == theirs[1]
    assert mine[0] == theirs[0]
    assert theirs[0] and theirs[1], "the recipe should keep some documents and drop others"


def test_fineweb_english_stage_matches_datatrove(tmp_path):
    records = corpus(ROOT / "fixtures" / "scraped-dev" / "docs.jsonl")
    theirs = run(fineweb_english_stage, (dt_filters, dt_formatters), records, "eng", tmp_path / "theirs")
    mine = run(fineweb_english_stage, (ours, ours), records, "eng", tmp_path / "ours")
    assert mine[1] == theirs[1]
    assert mine[0] == theirs[0]


def test_steps_are_datatrove_s_classes_and_fall_back_where_not_reproduced():
    assert isinstance(ours.GopherQualityFilter(), dt_filters.GopherQualityFilter)
    assert ours.GopherQualityFilter()._native is not None
    # 11-grams are not measured: datatrove's own code judges.
    step = ours.GopherRepetitionFilter(top_n_grams=((11, 0.1),))
    assert step._native is None
    text = "word " * 200
    assert step.filter(Document(text=text, id="x")) == dt_filters.GopherRepetitionFilter(
        top_n_grams=((11, 0.1),)
    ).filter(Document(text=text, id="x"))
    assert ours.FineWebQualityFilter(line_punct_exclude_zero=True)._native is None


def test_pii_rotation_goes_on_across_documents_as_datatrove_s():
    texts = ["Mail a@b.example and c@d.example.", "Then e@f.example, host 8.8.8.8 and 1.1.1.1."] * 3
    mine, theirs = ours.PIIFormatter(), dt_formatters.PIIFormatter()
    assert [mine.format(t) for t in texts] == [theirs.format(t) for t in texts]


def planted(records: list, seed: int = 7) -> list:
    """The records and near-copies of half of them (a word changed, a paragraph dropped)."""
    rng = random.Random(seed)
    out = list(records)
    for record in records[::2]:
        words = record["text"].split(" ")
        if len(words) > 20:
            words[rng.randrange(len(words))] = "changed"
        out.append({"id": record["id"] + "-copy", "text": " ".join(words)})
    rng.shuffle(out)
    return out


def run_minhash(signature_step, corpus_dir: Path, work: Path, language: str):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.utils.hashing import HashConfig

    config = MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14,
                           hashes_per_bucket=8, n_grams=5)

    def execute(pipeline, tasks, name):
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(work / "logs" / name),
                              skip_completed=False).run()

    def reader():
        return JsonlReader(str(corpus_dir), glob_pattern="*.jsonl")

    execute([reader(), signature_step(output_folder=str(work / "signatures"), config=config, language=language)], 1, "sig")
    execute([MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"),
                                 config=config)], config.num_buckets, "buckets")
    execute([MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"),
                                 config=config)], 1, "clusters")
    execute([reader(), MinhashDedupFilter(input_folder=str(work / "remove_ids"),
                                          exclusion_writer=JsonlWriter(str(work / "removed"), compression=None)),
             JsonlWriter(str(work / "kept"), compression=None)], 1, "filter")
    return sorted(r["id"] for path in sorted((work / "removed").glob("*.jsonl")) for r in read_jsonl(path))


@pytest.mark.parametrize("language", ["eng", "deu_Latn"])
def test_minhash_signature_step_writes_datatrove_s_files(language, tmp_path):
    from datatrove.pipeline.dedup import MinhashDedupSignature

    source = ROOT / "fixtures" / ("scraped-dev" if language == "eng" else "multilingual") / "docs.jsonl"
    records = corpus(source, None if language == "eng" else language)
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    with open(corpus_dir / "docs.jsonl", "w", encoding="utf-8") as out:
        for record in planted(records):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    theirs = run_minhash(MinhashDedupSignature, corpus_dir, tmp_path / "theirs", language)
    mine = run_minhash(ours.MinhashDedupSignature, corpus_dir, tmp_path / "ours", language)
    files = sorted(p.relative_to(tmp_path / "theirs") for p in (tmp_path / "theirs" / "signatures").rglob("*.sig"))
    assert len(files) == 14
    for name in files:
        assert filecmp.cmp(tmp_path / "theirs" / name, tmp_path / "ours" / name, shallow=False), name
    assert sorted(p.relative_to(tmp_path / "ours") for p in (tmp_path / "ours" / "signatures").rglob("*.sig")) == files
    assert mine == theirs
    assert theirs, "the planted copies should be removed"
