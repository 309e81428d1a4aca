#!/usr/bin/env python3
"""FineWeb-2's quality filters, per language: textscrub against datatrove 0.10.1 itself.

For every document of the JSONL files (`{"id", "text", "language"}`, `language` a FineWeb-2
label such as `deu_Latn`), datatrove runs the three filters exactly as FineWeb-2's
`fineweb-2-pipeline.py` configures them from `configs/{language}.yml`:

    GopherRepetitionFilter(language=..., dup_para_frac=0, dup_line_char_frac=0,
        dup_para_char_frac=0, dup_line_frac=cfg, top_n_grams=cfg, dup_n_grams=cfg)
    FineWebQualityFilter(language=..., short_line_thr=999, char_duplicates_ratio=0.1,
        line_punct_thr=cfg, new_line_ratio=cfg)
    GopherQualityFilter(language=..., max_avg_word_length=cfg, min_avg_word_length=cfg,
        stop_words=cfg["stopwords"], max_non_alpha_words_ratio=cfg, min_stop_words=2)

in that order; the verdict is the first failing filter and its reason, else keep. textscrub
judges the same records with `clean --no-default-rules --quality --recipe fineweb-2`; the
first of its `quality.reasons` must be datatrove's failure (same filter and reason), and
`quality.signals.tokens` must be the length of datatrove's `split_into_words(text, language)`.
For a document whose token counts differ, the first token where they part is located (textscrub
is run on the document's prefixes) and datatrove's tokens around it are printed.

Languages are grouped by the tokenizer datatrove assigns them: rule-based (spaCy blank
tokenizers other than ja/vi (zh is spaCy's on jieba), WhitespaceTokenizer, which is spaCy `xx`, IndicNLP's
trivial tokenizer and Thai's newmm) and the others (Stanza, Kiwi, ..., spaCy ja/vi/zh), which are reported but never fail the run;
their datatrove side raises ImportError when its package is not installed.

Exit status: 1 on any disagreement in a rule-based language (verdict, filter, reason or token
count), unless --report; 2 on a usage error or a textscrub without `--recipe`.

    python tests/parity/fineweb2_parity.py --textscrub target/debug/textscrub \
        --jsonl fixtures/multilingual/docs.jsonl --check-expected fixtures/multilingual/expected.jsonl
    python tests/parity/fineweb2_parity.py --jsonl fixtures/multilingual/docs.jsonl \
        --write-expected fixtures/multilingual/expected.jsonl      # datatrove only

FineWeb-2's configs are read from --configs (a checkout's `configs/`), else
$FINEWEB2_CONFIGS; failing those, from the copy of their values in
rules/quality/fineweb-2.json (said so on the first line of output).
"""

import argparse
import collections
import importlib.metadata
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import textscrub_clean

ROOT = Path(__file__).resolve().parent.parent.parent
RULE_BASED_EXCLUDED_SPACY = {"ja", "vi"}

# textscrub rule id -> (datatrove filter, reason); "empty" is reported by two filters.
RULES = {
    "fineweb-2/empty": ({"GopherRepetitionFilter", "FineWebQualityFilter"}, "empty"),
    "fineweb-2/dup-lines": ({"GopherRepetitionFilter"}, "dup_line_frac"),
    "fineweb-2/line-punct": ({"FineWebQualityFilter"}, "line_punct_ratio"),
    "fineweb-2/short-lines": ({"FineWebQualityFilter"}, "short_line_ratio"),
    "fineweb-2/dup-line-chars": ({"FineWebQualityFilter"}, "char_dup_ratio"),
    "fineweb-2/list-ratio": ({"FineWebQualityFilter"}, "list_ratio"),
    "fineweb-2/min-words": ({"GopherQualityFilter"}, "gopher_short_doc"),
    "fineweb-2/max-words": ({"GopherQualityFilter"}, "gopher_long_doc"),
    "fineweb-2/min-word-length": ({"GopherQualityFilter"}, "gopher_below_avg_threshold"),
    "fineweb-2/max-word-length": ({"GopherQualityFilter"}, "gopher_above_avg_threshold"),
    "fineweb-2/hash-ratio": ({"GopherQualityFilter"}, "gopher_too_many_hashes"),
    "fineweb-2/ellipsis-ratio": ({"GopherQualityFilter"}, "gopher_too_many_ellipsis"),
    "fineweb-2/bullet-lines": ({"GopherQualityFilter"}, "gopher_too_many_bullets"),
    "fineweb-2/ellipsis-lines": ({"GopherQualityFilter"}, "gopher_too_many_end_ellipsis"),
    "fineweb-2/alpha-words": ({"GopherQualityFilter"}, "gopher_below_alpha_threshold"),
    "fineweb-2/stop-words": ({"GopherQualityFilter"}, "gopher_enough_stop_words"),
}
for _n in (2, 3, 4):
    RULES[f"fineweb-2/top-{_n}gram"] = ({"GopherRepetitionFilter"}, f"top_{_n}_gram")
for _n in range(5, 11):
    RULES[f"fineweb-2/dup-{_n}gram"] = ({"GopherRepetitionFilter"}, f"duplicated_{_n}_n_grams")


# ---------------------------------------------------------------------------------------
# FineWeb-2's configuration


def find_configs(explicit):
    candidates = [explicit, os.environ.get("FINEWEB2_CONFIGS")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    if explicit:
        sys.exit(f"error: no configs folder at {explicit}")
    return None


class Configs:
    """configs/{label}.yml as yaml.safe_load reads them (or their copy in the recipe JSON)."""

    def __init__(self, folder):
        self.folder = folder
        self.cache = {}
        self.recipe = None
        if folder is None:
            self.recipe = json.loads((ROOT / "rules" / "quality" / "fineweb-2.json").read_text())["languages"]

    def describe(self):
        if self.folder is not None:
            return f"FineWeb-2 configs from {self.folder}"
        return "FineWeb-2 configs: NOT FOUND, using their copy in rules/quality/fineweb-2.json"

    def get(self, label):
        if label not in self.cache:
            if self.folder is not None:
                import yaml

                path = self.folder / f"{label}.yml"
                self.cache[label] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
            else:
                self.cache[label] = self.recipe.get(label)
        return self.cache[label]


# ---------------------------------------------------------------------------------------
# datatrove


def tokenizer_name(label):
    """("SpaCyTokenizer:xx", rule_based) for a label, as datatrove's assignment gives it."""
    from datatrove.utils.word_tokenizers import load_tokenizer_assignments

    factory = load_tokenizer_assignments().get(label)
    if factory is None:
        return "none", False
    kind, arg = factory.args
    name = f"{kind}:{arg}" if arg else kind
    rule_based = (
        (kind == "SpaCyTokenizer" and arg not in RULE_BASED_EXCLUDED_SPACY)
        or kind in ("WhitespaceTokenizer", "IndicNLPTokenizer", "ThaiTokenizer")
    )
    return name, rule_based


def family_of(tokenizer, rule_based):
    kind = tokenizer.split(":")[0]
    if rule_based:
        return "rule-based: " + kind
    if kind == "SpaCyTokenizer":
        return "out of scope: " + tokenizer
    return "out of scope: " + kind


class Datatrove:
    """The three filters per language, built as fineweb-2-pipeline.py builds them."""

    def __init__(self, configs):
        self.configs = configs
        self.filters = {}

    def pipeline(self, label):
        if label not in self.filters:
            from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter

            cfg = self.configs.get(label)
            if cfg is None:
                self.filters[label] = None
            else:
                self.filters[label] = [
                    GopherRepetitionFilter(
                        language=label,
                        dup_para_frac=0,
                        dup_line_char_frac=0,
                        dup_para_char_frac=0,
                        dup_line_frac=cfg["dup_line_frac"],
                        top_n_grams=cfg["top_n_grams"],
                        dup_n_grams=cfg["dup_n_grams"],
                    ),
                    FineWebQualityFilter(
                        language=label,
                        short_line_thr=999,
                        char_duplicates_ratio=0.1,
                        line_punct_thr=cfg["line_punct_thr"],
                        new_line_ratio=cfg["new_line_ratio"],
                    ),
                    GopherQualityFilter(
                        language=label,
                        max_avg_word_length=cfg["max_avg_word_length"],
                        min_avg_word_length=cfg["min_avg_word_length"],
                        stop_words=cfg["stopwords"],
                        max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"],
                        min_stop_words=2,
                    ),
                ]
        return self.filters[label]

    def judge(self, doc_id, text, label):
        """{"tokenizer", "words", "verdict", "filter", "reason"} (+ "error" when datatrove raised)."""
        from datatrove.data import Document
        from datatrove.utils.text import split_into_words

        tokenizer, rule_based = tokenizer_name(label)
        out = {"id": doc_id, "language": label, "tokenizer": tokenizer, "words": None,
               "verdict": None, "filter": None, "reason": None}
        try:
            out["words"] = len(split_into_words(text, label))
        except Exception:  # noqa: BLE001 (tokenizers whose packages are not installed: words stay None)
            pass
        filters = self.pipeline(label)
        if filters is None:
            out["error"] = f"no FineWeb-2 config for {label}"
            return out, rule_based
        for f in filters:
            try:
                result = f.filter(Document(text=text, id=doc_id))
            except Exception as e:  # noqa: BLE001
                out["error"] = f"{type(f).__name__}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                return out, rule_based
            kept, reason = (result if isinstance(result, tuple) else (result, None))
            if not kept:
                out.update(verdict="drop", filter=type(f).__name__, reason=reason)
                return out, rule_based
        out.update(verdict="keep")
        return out, rule_based


def datatrove_tokens(text, label):
    from datatrove.utils.word_tokenizers import load_word_tokenizer

    return load_word_tokenizer(label).word_tokenize(text)


# ---------------------------------------------------------------------------------------
# textscrub


def textscrub_supports_recipe(binary):
    try:
        help_text = subprocess.run([binary, "clean", "--help"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"error: cannot run {binary} clean --help: {e}")
    return "--recipe" in help_text


def textscrub_judge(binary, records):
    fields = [{"id": rec["id"], "text": rec["text"], "language": rec["language"]} for rec in records]
    return textscrub_clean.clean(binary, fields, ["--no-default-rules", "--quality", "--recipe", "fineweb-2"])


def textscrub_outcome(quality):
    """(verdict, rule of the first reason, tokens)."""
    verdict = quality.get("verdict")
    reasons = quality.get("reasons") or []
    rule = reasons[0].get("rule") if reasons else None
    tokens = (quality.get("signals") or {}).get("tokens")
    return verdict, rule, tokens


def cut_points(text):
    """Ends of the whitespace-separated chunks. spaCy's tokenizers split at every white-space
    character first, so no token crosses such a point: the words of text[:cut] are the
    words of text that start before cut."""
    return [i for i in range(1, len(text) + 1) if (i == len(text) or text[i].isspace()) and not text[i - 1].isspace()]


def token_starts(text, label):
    """Where each of datatrove's words starts (they are substrings of the text, in order)."""
    starts, pos = [], 0
    for token in datatrove_tokens(text, label):
        found = text.find(token, pos)
        if found < 0:
            return None
        starts.append(found)
        pos = found + len(token)
    return starts


def first_token_difference(binary, doc_id, text, label):
    """(cut, datatrove token index, textscrub count, datatrove count) for the shortest prefix
    text[:cut] whose word counts differ, or None. textscrub judges the prefixes in one run
    (two for long documents: ~200 evenly spaced prefixes, then every prefix in the first
    stretch where the counts part)."""
    import bisect

    starts = token_starts(text, label)
    if starts is None:
        return None

    def ours(cuts):
        prefixes = [{"id": f"{doc_id}#{c}", "text": text[:c], "language": label} for c in cuts]
        return [textscrub_outcome(r.get("quality") or {})[2] for r in textscrub_judge(binary, prefixes)]

    def first_differing(cuts):
        for cut, our in zip(cuts, ours(cuts)):
            if our != bisect.bisect_left(starts, cut):
                return cut, our
        return None

    cuts = cut_points(text)
    if len(cuts) > 400:
        step = len(cuts) // 200 + 1
        coarse = cuts[::step] + ([cuts[-1]] if (len(cuts) - 1) % step else [])
        hit = first_differing(coarse)
        if hit is None:
            return None
        hi = cuts.index(hit[0])
        lo = max(0, cuts.index(coarse[coarse.index(hit[0]) - 1]) + 1) if coarse.index(hit[0]) else 0
        cuts = cuts[lo : hi + 1]
    hit = first_differing(cuts)
    if hit is None:
        return None
    cut, our = hit
    previous = max((c for c in cut_points(text) if c < cut), default=0)
    return cut, bisect.bisect_left(starts, previous), our, bisect.bisect_left(starts, cut)


def show_tokens(text, label, position, width=4):
    tokens = datatrove_tokens(text, label)
    lo, hi = max(0, position - width), min(len(tokens), position + width + 1)
    shown = " ".join(("[" + repr(t) + "]") if i == position else repr(t) for i, t in zip(range(lo, hi), tokens[lo:hi]))
    return f"{'… ' if lo else ''}{shown}{' …' if hi < len(tokens) else ''}"


# ---------------------------------------------------------------------------------------


def load_records(paths):
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    rec = json.loads(line)
                    if "language" not in rec:
                        sys.exit(f"error: {path}:{n} has no language")
                    records.append({"id": str(rec.get("id", f"{path}:{n}")), "text": rec["text"], "language": rec["language"]})
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl", action="append", required=True, help="JSONL with id, text, language (repeatable)")
    parser.add_argument("--textscrub", help="the textscrub binary (leave out to run datatrove only)")
    parser.add_argument("--configs", help="FineWeb-2's configs/ folder")
    parser.add_argument("--write-expected", metavar="PATH", help="write datatrove's verdicts as JSONL")
    parser.add_argument("--check-expected", metavar="PATH", help="fail when datatrove's verdicts differ from this file")
    parser.add_argument("--report", action="store_true", help="print the comparison, never fail on it")
    parser.add_argument("--show", type=int, default=30, help="disagreements to print")
    parser.add_argument("--locate", type=int, default=10, help="token-count mismatches to locate (textscrub run on prefixes)")
    args = parser.parse_args()

    configs = Configs(find_configs(args.configs))
    print(f"datatrove {importlib.metadata.version('datatrove')}, spaCy {importlib.metadata.version('spacy')}; "
          f"{configs.describe()}", flush=True)
    records = load_records(args.jsonl)
    if not records:
        parser.error("no documents")

    if args.textscrub and not textscrub_supports_recipe(args.textscrub):
        print(f"error: {args.textscrub} has no `clean --recipe` yet; run without --textscrub for datatrove alone",
              file=sys.stderr)
        return 2

    dt = Datatrove(configs)
    started = time.perf_counter()
    expected, rule_based = [], {}
    for rec in records:
        out, rb = dt.judge(rec["id"], rec["text"], rec["language"])
        expected.append(out)
        rule_based[rec["language"]] = rb
    elapsed = time.perf_counter() - started
    verdicts = collections.Counter((e["verdict"] or "error", e["filter"], e["reason"]) for e in expected)
    print(f"datatrove: {len(records)} documents in {len(rule_based)} languages judged in {elapsed:.1f}s", flush=True)
    for (verdict, filt, reason), n in sorted(verdicts.items(), key=lambda x: (-x[1], str(x[0]))):
        print(f"  {n:5d}  {verdict}" + (f"  {filt} / {reason}" if filt else ""))

    failed = False
    if args.write_expected:
        with open(args.write_expected, "w", encoding="utf-8", newline="\n") as f:
            for e in expected:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        print(f"wrote {args.write_expected}")
    if args.check_expected:
        with open(args.check_expected, encoding="utf-8") as f:
            stored = {r["id"]: r for r in (json.loads(line) for line in f if line.strip())}
        stale = [e for e in expected if stored.get(e["id"]) != e]
        input_ids = {e["id"] for e in expected}
        missing = [i for i in stored if i not in input_ids]
        if stale or missing:
            failed = True
            print(f"expected: {len(stale)} documents differ from {args.check_expected}, {len(missing)} not in the input")
            for e in stale[: args.show]:
                print(f"  now {json.dumps(e, ensure_ascii=False)}\n  was {json.dumps(stored.get(e['id']), ensure_ascii=False)}")
        else:
            print(f"expected: datatrove agrees with {args.check_expected} on all {len(expected)} documents")

    if not args.textscrub:
        return 1 if failed and not args.report else 0

    judged = textscrub_judge(args.textscrub, records)
    table = collections.defaultdict(lambda: collections.Counter())
    problems, token_mismatches = [], []
    for rec, e, got in zip(records, expected, judged):
        label = rec["language"]
        family = family_of(e["tokenizer"], rule_based[label])
        row = table[(family, label, e["tokenizer"])]
        row["docs"] += 1
        quality = got.get("quality") or {}
        verdict, rule, tokens = textscrub_outcome(quality)
        if verdict == "unjudged":
            row["unjudged"] += 1
        if e["verdict"] is None:
            row["unavailable"] += 1
            continue
        if verdict == "keep":
            same = e["verdict"] == "keep"
        elif verdict == "drop":
            filters, reason = RULES.get(rule, (set(), None))
            same = e["verdict"] == "drop" and e["filter"] in filters and e["reason"] == reason
        else:
            same = False
        if quality.get("language") not in (None, label):
            problems.append((rule_based[label], f"{rec['id']}: textscrub judged it as {quality.get('language')!r}"))
        if same:
            row["agree"] += 1
        else:
            row["disagree"] += 1
            theirs = "keep" if e["verdict"] == "keep" else f"drop {e['filter']}/{e['reason']}"
            ours = str(verdict)
            if rule:
                filters, reason = RULES.get(rule, (set(), "unknown rule"))
                ours += f" {rule} (= {'|'.join(sorted(filters)) or '?'}/{reason})"
            problems.append((rule_based[label], f"{rec['id']}: datatrove {theirs}; textscrub {ours}"))
        if e["words"] is not None and tokens != e["words"]:
            row["tokens"] += 1
            token_mismatches.append((rule_based[label], rec, e["words"], tokens))

    print()
    print("columns: agree/disagree = same or different verdict, filter and reason; n/a = datatrove could not judge"
          " (tokenizer package not installed); unjudged = textscrub left it unjudged; tokens≠ = token counts differ")
    header = (f"{'language':<12} {'tokenizer':<22} {'docs':>5} {'agree':>6} {'disagree':>9} {'n/a':>5} "
              f"{'unjudged':>9} {'tokens≠':>8}")
    for family in sorted({k[0] for k in table}, key=lambda f: (not f.startswith("rule"), f)):
        rows = [(k, v) for k, v in sorted(table.items()) if k[0] == family]
        total = sum((v for _, v in rows), collections.Counter())
        print(f"== {family}: {len(rows)} languages, {total['docs']} documents, {total['agree']} agree, "
              f"{total['disagree']} disagree, {total['unavailable']} not judged by datatrove, "
              f"{total['tokens']} token counts differ")
        print(header)
        for (_, label, tok), v in rows:
            print(f"{label:<12} {tok:<22} {v['docs']:>5} {v['agree']:>6} {v['disagree']:>9} {v['unavailable']:>5} "
                  f"{v['unjudged']:>9} {v['tokens']:>8}")
        print()

    if problems:
        print(f"disagreements ({len(problems)}; rule-based first):")
        for rb, line in sorted(problems, key=lambda p: not p[0])[: args.show]:
            print(("  " if rb else "  [out of scope] ") + line)
        if len(problems) > args.show:
            print(f"  ... and {len(problems) - args.show} more")
    if token_mismatches:
        print(f"token counts ({len(token_mismatches)} documents; datatrove vs textscrub):")
        located = 0
        for rb, rec, theirs, ours in sorted(token_mismatches, key=lambda m: not m[0]):
            line = f"  {'' if rb else '[out of scope] '}{rec['id']}: datatrove {theirs}, textscrub {ours}"
            if located < args.locate and ours is not None:
                located += 1
                found = first_token_difference(args.textscrub, rec["id"], rec["text"], rec["language"])
                if found:
                    cut, position, ours_p, theirs_p = found
                    start = max(0, cut - 60)
                    line += (f"\n    first difference at datatrove token {position} (text up to char {cut}: "
                             f"datatrove {theirs_p}, textscrub {ours_p})\n    datatrove: "
                             f"{show_tokens(rec['text'], rec['language'], position)}\n    text: "
                             f"{'…' if start else ''}{rec['text'][start:cut + 20]!r}")
            print(line)

    rule_based_failures = sum(1 for rb, _ in problems if rb) + sum(1 for m in token_mismatches if m[0])
    if rule_based_failures or failed:
        if args.report:
            print(f"{rule_based_failures} disagreements in rule-based languages (report only)")
            return 0
        print(f"FAIL: {rule_based_failures} disagreements in rule-based languages", file=sys.stderr)
        return 1
    print("OK: textscrub agrees with datatrove on every document of a rule-based language")
    return 0


if __name__ == "__main__":
    sys.exit(main())
