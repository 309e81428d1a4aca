#!/usr/bin/env python3
"""Language identification parity: `textscrub clean --detect-lang` against fastText as datatrove uses it.

The reference is what datatrove 0.10.1's `LanguageFilter(backend="ft176",
keep_top_pairs_threshold=T)` writes into a document's metadata, computed with fastText's own
Python bindings (fasttext-numpy2-wheel, the package datatrove requires) on the model given:

    labels, scores = model.predict(doc.text.replace("\\n", " "), k=-1)
    lang_pairs = {label.split("__")[2]: score.item() for label, score in zip(labels, scores)}
    language, language_score = max(lang_pairs.items(), key=lambda x: x[1])
    top_language_{label}_score = score   for every pair scoring > T

A label of the form `xxx_Scrp` (GlotLID's) is written as `language: "xxx"` plus
`language_script: "Scrp"`, as datatrove does for GlotLID (lid.176 has no such label).

textscrub runs on the same files, `clean --no-default-rules --detect-lang --lid-model MODEL
[--lid-keep-top T] -q`, and every record is compared: language, language_script,
language_score (within 1e-5; the largest difference is reported), the set of
top_language_*_score fields and their values (within 1e-5), and the text, which must come
through unchanged. Besides the files given, a JSONL of edge cases (empty and blank texts,
"\\v" and "\\0", a literal "</s>", very short lines, emoji, mixed scripts, ...) is written to a
temporary folder and checked too. Exits 1 on any disagreement.

    python tests/parity/lid_parity.py --textscrub target/debug/textscrub \\
        --model target/lid-model/lid.176.ftz --keep-top 0.01 FILE.jsonl...

Without --textscrub only the reference runs (a summary of its predictions; --dump writes them).
"""

import argparse
import json
import re
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TOLERANCE = 1e-5
SCRIPT_LABEL = re.compile(r"([^_]+)_([A-Z][a-z]{3})")  # GlotLID's eng_Latn

# id -> text. No document of the fixtures is this short, blank or odd; fastText's tokenizer
# splits on " \n\r\t\v\f\0" and turns every "\n" into its end-of-sentence token "</s>".
EDGE_CASES = {
    "empty": "",
    "space": " ",
    "blank-mix": " \t \r \f  ",
    "newlines-only": "\n\n\n",
    "newline-inside": "Das ist ein Satz.\nUnd hier kommt noch einer.",
    "crlf": "This is the first line.\r\nThis is the second line.\r\n",
    "vt-only": "\v",
    "nul-only": "\0",
    "vt-separated": "el\vrápido\vzorro\vmarrón salta",
    "nul-separated": "el\0rápido\0zorro\0marrón salta",
    "nul-inside-word": "hel\0lo wor\0ld",
    "ff-separated": "el\frápido\fzorro",
    "eos-literal": "</s>",
    "eos-twice": "</s> </s>",
    "eos-in-text": "hello world </s> das ist deutsch",
    "eos-glued": "hello</s>world",
    "label-token": "__label__de this is english text",
    "go": "Go",
    "ok": "OK",
    "a": "a",
    "ja": "Ja",
    "kanji-two": "日本",
    "bonjour": "Bonjour",
    "digits": "12345 67890",
    "punct": "!!! ??? ...",
    "emoji": "😀😀 🎉",
    "emoji-flag": "🇫🇷 🇩🇪",
    "emoji-zwj": "👩‍👩‍👧 family",
    "mixed-scripts": "Привет hello 你好 مرحبا",
    "mixed-tokyo": "東京 Tokyo Токио Τόκιο",
    "mixed-inword": "helloмир world世界",
    "cjk": "我们今天去公园散步，天气很好。",
    "thai": "วันนี้อากาศดีมาก",
    "hindi": "मैं हिंदी बोलता हूँ",
    "arabic": "اللغة العربية جميلة جدا",
    "nbsp": "le\u00a0renard\u00a0brun\u00a0rapide",
    "ideographic-space": "今日は\u3000いい天気ですね",
    "zwsp": "hello\u200bworld\u200bthis\u200bis",
    "combining": "cafe\u0301 re\u0301sume\u0301 nai\u0308ve",
    "unicode-line-separators": "first\u2028second\u2029third\u0085fourth",
    "astral-letters": "𝓗𝓮𝓵𝓵𝓸 𝔀𝓸𝓻𝓵𝓭",
    "url": "https://example.com/path?x=1&y=2",
    "code": 'fn main() { println!("hi"); }',
    "long-word": "a" * 5000,
    "long-text": "Le renard brun rapide saute par-dessus le chien paresseux. " * 300,
    "many-lines": "\n".join(["Go", "Stop", "Ja", "Nein", "Oui", "Non"] * 20),
}


def f32_bits(x: float) -> int:
    try:
        return struct.unpack("<i", struct.pack("<f", x))[0]
    except OverflowError:  # not a float32 at all
        return 1 << 40


def load_model(path: str):
    # datatrove builds the model this way (utils/lid.py): fasttext.FastText._FastText(file).
    from fasttext.FastText import _FastText

    return _FastText(model_path=path)


def make_predictor(model):
    """fastText's predict(text, k=-1) as (label, score) pairs, best first; the scores are
    Python floats holding the float32 values, as `score.item()` gives them."""

    def high_level(line):
        labels, scores = model.predict(line, k=-1)
        return [(label, score.item()) for label, score in zip(labels, scores)]

    def low_level(line):
        # What predict() does underneath (fastText's FastText.py: check() appends the "\n"),
        # for a fastText package whose predict() breaks under numpy 2 (np.array(copy=False)).
        return [(label, score) for score, label in model.f.predict(line + "\n", -1, 0.0, "strict")]

    try:
        if high_level("probe") == low_level("probe"):
            return high_level, "model.predict(text, k=-1)"
    except ValueError:
        pass
    return low_level, 'model.f.predict(text + "\\n", -1, 0.0, "strict")'


def expected_fields(pairs, keep_top):
    """The metadata datatrove's LanguageFilter writes, for fastText's (label, score) pairs,
    and its {label: score}."""
    lang_pairs = {label.split("__")[2]: score for label, score in pairs}
    if not lang_pairs:  # never with fastText: every line holds at least "</s>"
        return {}, lang_pairs
    lang, score = max(lang_pairs.items(), key=lambda x: x[1])
    fields = {}
    m = SCRIPT_LABEL.fullmatch(lang)
    if m:
        fields["language"], fields["language_script"] = m.groups()
    else:
        fields["language"] = lang
    fields["language_score"] = score
    if keep_top is not None:
        for key, value in lang_pairs.items():
            if value > keep_top:
                fields[f"top_language_{key}_score"] = value
    return fields, lang_pairs


def read_jsonl(path: Path):
    # Only "\n" ends a JSONL record: str.splitlines() would also split at a raw U+2028, U+0085,
    # ... inside a string, which JSON writers leave unescaped.
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def run_textscrub(binary, model, keep_top, src: Path, out: Path):
    cmd = [binary, "clean", "--no-default-rules", "--detect-lang", "--lid-model", model]
    if keep_top is not None:
        cmd += ["--lid-keep-top", repr(keep_top)]
    cmd += ["-q", str(src), "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"textscrub failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return read_jsonl(out)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare(want: dict, inp: dict, got: dict):
    """Differences (field, wanted, got) between the reference and textscrub's record, and the
    largest score difference seen."""
    diffs, maxd = [], {"language_score": 0.0, "top": 0.0}
    if got.get("text") != inp.get("text"):
        diffs.append(("text", inp.get("text"), got.get("text")))
    for field in ("language", "language_script"):
        w = want.get(field, inp.get(field))  # absent: whatever the input had (usually absent)
        g = got.get(field)
        if w != g:
            diffs.append((field, w, g))
    w, g = want.get("language_score"), got.get("language_score")
    if not is_number(g) or w is None:
        if w != g:
            diffs.append(("language_score", w, g))
    else:
        d = abs(w - g)
        maxd["language_score"] = d
        if d > TOLERANCE:
            diffs.append(("language_score", w, g))
    wtop = {k: v for k, v in want.items() if k.startswith("top_language_")}
    gtop = {k: v for k, v in got.items() if k.startswith("top_language_") and k not in inp}
    for k in sorted(set(wtop) | set(gtop)):
        if k not in gtop or k not in wtop:
            diffs.append((k, wtop.get(k), gtop.get(k)))
        elif not is_number(gtop[k]):
            diffs.append((k, wtop[k], gtop[k]))
        else:
            d = abs(wtop[k] - gtop[k])
            maxd["top"] = max(maxd["top"], d)
            if d > TOLERANCE:
                diffs.append((k, wtop[k], gtop[k]))
    return diffs, maxd


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textscrub", help="textscrub binary (without it, only the reference runs)")
    parser.add_argument("--model", required=True, help="fastText model, e.g. lid.176.ftz")
    parser.add_argument("--keep-top", type=float, default=None, metavar="T",
                        help="also compare top_language_*_score for labels scoring > T "
                             "(datatrove's keep_top_pairs_threshold; textscrub's --lid-keep-top)")
    parser.add_argument("--no-edge-cases", action="store_true", help="skip the generated edge cases")
    parser.add_argument("--show", type=int, default=10, help="disagreements to print (default 10)")
    parser.add_argument("--dump", help="write the reference's fields per record to this JSONL")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lid-parity-") as tmp:
        tmp = Path(tmp)
        files = [Path(f) for f in args.files]
        if not args.no_edge_cases:
            edge = tmp / "edge-cases.jsonl"
            edge.write_text("".join(json.dumps({"id": f"edge/{k}", "text": v}) + "\n" for k, v in EDGE_CASES.items()),
                            encoding="utf-8")
            files.append(edge)
        if not files:
            parser.error("no input: give JSONL files, or leave the edge cases on")

        t0 = time.monotonic()
        model = load_model(args.model)
        predict, api = make_predictor(model)
        inputs, wanted, all_pairs = [], [], []
        for f in files:
            recs = read_jsonl(f)
            inputs.append(recs)
            results = [expected_fields(predict(r.get("text", "").replace("\n", " ")), args.keep_top) for r in recs]
            wanted.append([w for w, _ in results])
            all_pairs.append([p for _, p in results])
        t_ref = time.monotonic() - t0
        n = sum(len(r) for r in inputs)
        langs = Counter(w.get("language") for ws in wanted for w in ws)
        print(f"lid parity: reference {api} on {n} records of {len(files)} files in {t_ref:.1f}s; "
              f"{len(langs)} languages, most common {', '.join(f'{k} {v}' for k, v in langs.most_common(8))}")
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as out:
                for f, recs, ws in zip(files, inputs, wanted):
                    for i, (r, w) in enumerate(zip(recs, ws)):
                        out.write(json.dumps({"file": f.name, "line": i + 1, "id": r.get("id"), **w}, ensure_ascii=False) + "\n")
        if not args.textscrub:
            for f, recs, ws in zip(files, inputs, wanted):
                if f.name == "edge-cases.jsonl":
                    for r, w in zip(recs, ws):
                        print(f"  {r['id']:32s} {w.get('language')} {w.get('language_score', 0):.6f}"
                              f" top>{args.keep_top}: {len([k for k in w if k.startswith('top_')])}")
            return 0

        t0 = time.monotonic()
        outputs = []
        for i, f in enumerate(files):
            outputs.append(run_textscrub(args.textscrub, args.model, args.keep_top, f, tmp / f"out-{i}.jsonl"))
        t_ts = time.monotonic() - t0

        agree, disagreements, problems = 0, [], []
        field_bad = Counter()
        maxd = {"language_score": 0.0, "top": 0.0}
        exact_f32 = scored = top_fields = max_ulps = 0
        for f, recs, ws, ps, outs in zip(files, inputs, wanted, all_pairs, outputs):
            if len(outs) != len(recs):
                problems.append(f"{f}: {len(recs)} records in, {len(outs)} out of textscrub")
                continue
            file_agree = 0
            for i, (inp, want, pairs, got) in enumerate(zip(recs, ws, ps, outs)):
                if inp.get("id") != got.get("id"):
                    problems.append(f"{f}:{i + 1}: id {inp.get('id')!r} came out as {got.get('id')!r}")
                diffs, d = compare(want, inp, got)
                for k in maxd:
                    maxd[k] = max(maxd[k], d[k])
                if is_number(got.get("language_score")) and "language_score" in want:
                    scored += 1
                    ulps = abs(f32_bits(got["language_score"]) - f32_bits(want["language_score"]))
                    exact_f32 += ulps == 0
                    max_ulps = max(max_ulps, ulps)
                top_fields += sum(k.startswith("top_language_") for k in want)
                if diffs:
                    disagreements.append((f, i, inp, want, pairs, got, diffs))
                    field_bad.update({"top_language_*" if k.startswith("top_language_") else k for k, _, _ in diffs})
                else:
                    agree += 1
                    file_agree += 1
            print(f"  {f.name if f.parent == tmp else f}: {len(recs)} records, {file_agree} agree")

        print(f"lid parity: textscrub on {len(files)} files in {t_ts:.1f}s")
        print(f"lid parity: {n} records, {agree} agree on every field, {len(disagreements)} disagree"
              + (f" ({', '.join(f'{k} {v}' for k, v in field_bad.most_common())})" if field_bad else ""))
        print(f"  language_score: max |diff| {maxd['language_score']:.3g} (tolerance {TOLERANCE:g}); "
              f"{exact_f32} of {scored} equal as float32, the others at most {max_ulps} float32 steps apart")
        if args.keep_top is not None:
            print(f"  top_language_*_score > {args.keep_top:g}: {top_fields} fields in the reference, "
                  f"max |diff| {maxd['top']:.3g}")
        for p in problems[: args.show]:
            print(f"  problem: {p}")
        for f, i, inp, want, pairs, got, diffs in disagreements[: args.show]:
            where = f"{f.name}:{i + 1}"
            print(f"  {where} id={inp.get('id')!r} text={inp.get('text', '')[:80]!r}")
            for field, w, g in diffs:
                note = ""
                if field == "language" and isinstance(g, str):
                    # A tie in the reference: textscrub's label has the top score too
                    # (datatrove keeps the first of fastText's ranking).
                    if pairs.get(g) == want.get("language_score"):
                        note = " (tied with the reference's top score)"
                if isinstance(w, str) and len(w) > 80:
                    w, g = w[:80] + "...", (g[:80] + "..." if isinstance(g, str) else g)
                print(f"      {field}: reference {w!r}, textscrub {g!r}{note}")
        if len(disagreements) > args.show:
            print(f"  ... and {len(disagreements) - args.show} more")
        return 1 if disagreements or problems else 0


if __name__ == "__main__":
    sys.exit(main())
