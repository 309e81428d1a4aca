#!/usr/bin/env python3
"""Generates fixtures/multilingual/docs.jsonl: held-out text in ~80 FineWeb-2 languages.

Every sentence in the fixture comes from a public registry package that nobody on this
project wrote; this script fetches the pinned versions, takes the text out and builds the
documents deterministically (no randomness: the same packages give the same bytes).

Sources (see fixtures/multilingual/README.md for licences and paths):

- crates.io `lingua-{language}-language-model` 1.2.0 (75 crates): `testdata/sentences.txt`
  (1,000 real sentences per language) and `testdata/word-pairs.txt` / `single-words.txt`;
- PyPI `cleave-sbd` 0.3.0b1 sdist: `tests/data/lang/*.toml` (sentence-boundary golden rules);
- PyPI `spacy` 3.8.18 wheel: `spacy/lang/*/examples.py` (example sentences).

Documents per language (`id` = `{label}/{source}/{kind}`):

- `lingua/prose-N`: consecutive-in-a-permutation sentences joined as prose: one paragraph,
  several paragraphs separated by blank lines, or one sentence per line;
- `lingua/short-N`: one sentence;
- `lingua/x-*`: low-quality variants derived from real sentences (repeated lines, repeated
  phrases, unpunctuated list lines, bullets, ellipses, hashtags, number columns, glued
  words, word-pair lists, CRLF line ends, messy whitespace, ...);
- `cleave/N`, `cleave/lines-N`: the golden-rule texts joined by spaces or one per line;
- `spacy/0`, `spacy/1`: the example sentences joined by spaces or one per line;
- a few edge cases (empty text, whitespace only, symbols only).

Languages whose FineWeb-2 tokenizer is not rule-based (Stanza, IndicNLP, Thai, Kiwi, spaCy
ja/vi/zh, ...) get fewer documents; the parity harness reports them separately.

    python3 scripts/gen_multilingual_fixture.py            # downloads to a temp dir
    python3 scripts/gen_multilingual_fixture.py --cache /tmp/mlcache   # keeps downloads

Then recompute the expected verdicts with datatrove:

    python tests/parity/fineweb2_parity.py --jsonl fixtures/multilingual/docs.jsonl \
        --write-expected fixtures/multilingual/expected.jsonl   # no --textscrub: datatrove only
"""

import argparse
import ast
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "multilingual" / "docs.jsonl"

LINGUA_VERSION = "1.2.0"
CLEAVE = ("cleave-sbd", "0.3.0b1")
SPACY = ("spacy", "3.8.18")

# lingua language (crate name part) -> FineWeb-2 label (a configs/{label}.yml name)
LINGUA = {
    "afrikaans": "afr_Latn",
    "albanian": "als_Latn",
    "arabic": "arb_Arab",
    "armenian": "hye_Armn",
    "azerbaijani": "azj_Latn",
    "basque": "eus_Latn",
    "belarusian": "bel_Cyrl",
    "bengali": "ben_Beng",
    "bokmal": "nob_Latn",
    "bosnian": "bos_Latn",
    "bulgarian": "bul_Cyrl",
    "catalan": "cat_Latn",
    "chinese": "cmn_Hani",
    "croatian": "hrv_Latn",
    "czech": "ces_Latn",
    "danish": "dan_Latn",
    "dutch": "nld_Latn",
    "esperanto": "epo_Latn",
    "estonian": "ekk_Latn",
    "finnish": "fin_Latn",
    "french": "fra_Latn",
    "ganda": "lug_Latn",
    "georgian": "kat_Geor",
    "german": "deu_Latn",
    "greek": "ell_Grek",
    "gujarati": "guj_Gujr",
    "hebrew": "heb_Hebr",
    "hindi": "hin_Deva",
    "hungarian": "hun_Latn",
    "icelandic": "isl_Latn",
    "indonesian": "ind_Latn",
    "irish": "gle_Latn",
    "italian": "ita_Latn",
    "japanese": "jpn_Jpan",
    "kazakh": "kaz_Cyrl",
    "korean": "kor_Hang",
    "latin": "lat_Latn",
    "latvian": "lvs_Latn",
    "lithuanian": "lit_Latn",
    "macedonian": "mkd_Cyrl",
    "malay": "zsm_Latn",
    "maori": "mri_Latn",
    "marathi": "mar_Deva",
    "mongolian": "khk_Cyrl",
    "nynorsk": "nno_Latn",
    "persian": "fas_Arab",
    "polish": "pol_Latn",
    "portuguese": "por_Latn",
    "punjabi": "pan_Guru",
    "romanian": "ron_Latn",
    "russian": "rus_Cyrl",
    "serbian": "srp_Cyrl",
    "shona": "sna_Latn",
    "slovak": "slk_Latn",
    "slovene": "slv_Latn",
    "somali": "som_Latn",
    "sotho": "sot_Latn",
    "spanish": "spa_Latn",
    "swahili": "swh_Latn",
    "swedish": "swe_Latn",
    "tagalog": "fil_Latn",
    "tamil": "tam_Taml",
    "telugu": "tel_Telu",
    "thai": "tha_Thai",
    "tsonga": "tso_Latn",
    "tswana": "tsn_Latn",
    "turkish": "tur_Latn",
    "ukrainian": "ukr_Cyrl",
    "urdu": "urd_Arab",
    "vietnamese": "vie_Latn",
    "welsh": "cym_Latn",
    "xhosa": "xho_Latn",
    "yoruba": "yor_Latn",
    "zulu": "zul_Latn",
}

# Labels whose datatrove tokenizer is not a spaCy blank tokenizer textscrub ports (Stanza,
# IndicNLP, Thai, Kiwi, Burmese, Tibetan, spaCy ja/vi/zh): fewer documents for these.
OUT_OF_SCOPE = {
    "bel_Cyrl", "ben_Beng", "cmn_Hani", "cym_Latn", "guj_Gujr", "hin_Deva", "jpn_Jpan",
    "kaz_Cyrl", "khk_Cyrl", "kor_Hang", "mar_Deva", "pan_Guru", "tam_Taml", "tel_Telu",
    "tha_Thai", "urd_Arab", "vie_Latn", "mya_Mymr", "kan_Knda", "mal_Mlym", "npi_Deva",
    "san_Deva", "sin_Sinh", "bod_Tibt", "kmr_Latn",
}

# cleave-sbd tests/data/lang/{name}.toml -> label (English has no FineWeb-2 config)
CLEAVE_LANGS = {
    "amharic": "amh_Ethi",
    "arabic": "arb_Arab",
    "armenian": "hye_Armn",
    "bulgarian": "bul_Cyrl",
    "burmese": "mya_Mymr",
    "chinese": "cmn_Hani",
    "danish": "dan_Latn",
    "deutsch": "deu_Latn",
    "dutch": "nld_Latn",
    "french": "fra_Latn",
    "greek": "ell_Grek",
    "hindi": "hin_Deva",
    "italian": "ita_Latn",
    "japanese": "jpn_Jpan",
    "kazakh": "kaz_Cyrl",
    "marathi": "mar_Deva",
    "persian": "fas_Arab",
    "polish": "pol_Latn",
    "russian": "rus_Cyrl",
    "slovak": "slk_Latn",
    "spanish": "spa_Latn",
    "urdu": "urd_Arab",
}

# spacy/lang/{code}/examples.py -> label (en and the multilingual xx are left out)
SPACY_LANGS = {
    "am": "amh_Ethi", "ar": "arb_Arab", "az": "azj_Latn", "bg": "bul_Cyrl", "bn": "ben_Beng",
    "bo": "bod_Tibt", "ca": "cat_Latn", "cs": "ces_Latn", "da": "dan_Latn", "de": "deu_Latn",
    "dsb": "dsb_Latn", "el": "ell_Grek", "es": "spa_Latn", "eu": "eus_Latn", "fa": "fas_Arab",
    "fi": "fin_Latn", "fr": "fra_Latn", "grc": "grc_Grek", "gu": "guj_Gujr", "he": "heb_Hebr",
    "hi": "hin_Deva", "hr": "hrv_Latn", "hsb": "hsb_Latn", "ht": "hat_Latn", "hu": "hun_Latn",
    "hy": "hye_Armn", "id": "ind_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "kmr": "kmr_Latn",
    "kn": "kan_Knda", "ko": "kor_Hang", "ky": "kir_Cyrl", "la": "lat_Latn", "lb": "ltz_Latn",
    "lg": "lug_Latn", "lij": "lij_Latn", "lt": "lit_Latn", "ml": "mal_Mlym", "ms": "zsm_Latn",
    "nb": "nob_Latn", "ne": "npi_Deva", "nl": "nld_Latn", "nn": "nno_Latn", "pl": "pol_Latn",
    "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "sa": "san_Deva", "si": "sin_Sinh",
    "sk": "slk_Latn", "sl": "slv_Latn", "sq": "als_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn",
    "ta": "tam_Taml", "te": "tel_Telu", "ti": "tir_Ethi", "tn": "tsn_Latn", "tr": "tur_Latn",
    "tt": "tat_Cyrl", "uk": "ukr_Cyrl", "ur": "urd_Arab", "vi": "vie_Latn", "yo": "yor_Latn",
    "zh": "cmn_Hani",
}


# ---------------------------------------------------------------------------------------
# downloads


def fetch_crate(name, version, cache):
    path = cache / f"{name}-{version}.crate"
    if not path.exists():
        url = f"https://static.crates.io/crates/{name}/{name}-{version}.crate"
        with urllib.request.urlopen(url) as response:
            data = response.read()
        path.write_bytes(data)
    return path


def crate_files(path, wanted):
    """{relative path: text} for the wanted files of a .crate (tar.gz)."""
    out = {}
    with tarfile.open(path, mode="r:gz") as archive:
        for member in archive:
            rel = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if rel in wanted:
                out[rel] = archive.extractfile(member).read().decode("utf-8")
    return out


def pip_download(name, version, cache, binary):
    """The sdist (binary=False) or a wheel (binary=True) of name==version, via pip."""
    stem = name.replace("-", "_").lower()
    for found in sorted(cache.iterdir()):
        low = found.name.lower()
        if low.startswith(f"{stem}-{version}") or low.startswith(f"{name.lower()}-{version}"):
            if low.endswith(".whl") == binary:
                return found
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
           "-d", str(cache), f"{name}=={version}"]
    cmd += ["--only-binary", ":all:"] if binary else ["--no-binary", ":all:"]
    subprocess.run(cmd, check=True)
    return pip_download(name, version, cache, binary)


# ---------------------------------------------------------------------------------------
# text extraction


def lines_of(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def load_lingua(cache):
    data = {}
    for lang, label in LINGUA.items():
        crate = fetch_crate(f"lingua-{lang}-language-model", LINGUA_VERSION, cache)
        files = crate_files(crate, {"testdata/sentences.txt", "testdata/word-pairs.txt",
                                    "testdata/single-words.txt"})
        data[label] = {
            "sentences": lines_of(files["testdata/sentences.txt"]),
            "pairs": lines_of(files["testdata/word-pairs.txt"]),
            "words": lines_of(files["testdata/single-words.txt"]),
        }
    return data


def load_cleave(cache):
    sdist = pip_download(*CLEAVE, cache, binary=False)
    out = {}
    with tarfile.open(sdist, mode="r:gz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            m = re.search(r"/tests/data/lang/(\w+)\.toml$", member.name)
            if not m or m.group(1) not in CLEAVE_LANGS:
                continue
            table = tomllib.loads(archive.extractfile(member).read().decode("utf-8"))
            texts = []
            for cases in table.values():  # tomllib keeps the file's order
                for case in cases:
                    t = case["text"].strip()
                    if t and t not in texts:
                        texts.append(t)
            out[CLEAVE_LANGS[m.group(1)]] = texts
    return out


def load_spacy(cache):
    wheel = pip_download(*SPACY, cache, binary=True)
    out = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            m = re.fullmatch(r"spacy/lang/(\w+)/examples\.py", name)
            if not m or m.group(1) not in SPACY_LANGS:
                continue
            tree = ast.parse(archive.read(name).decode("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "sentences":
                    sentences = [s.strip() for s in ast.literal_eval(node.value) if s.strip()]
                    out[SPACY_LANGS[m.group(1)]] = sentences
    return out


# ---------------------------------------------------------------------------------------
# documents


def permutation(n):
    """A fixed permutation of range(n) that spreads picks over the (partly sorted) file."""
    for a in (389, 397, 401, 409, 419):
        if math.gcd(a, n) == 1:
            return [(i * a + 17) % n for i in range(n)]
    return list(range(n))


class Picker:
    """Hands out sentences in a fixed order, each at most once per language."""

    def __init__(self, sentences):
        self.sentences = sentences
        self.order = permutation(len(sentences))
        self.pos = 0

    def take(self, n):
        out = []
        while len(out) < n and self.pos < len(self.order):
            out.append(self.sentences[self.order[self.pos]])
            self.pos += 1
        return out


def paragraphs(sents, sizes):
    out, i, k = [], 0, 0
    while i < len(sents):
        size = sizes[k % len(sizes)]
        out.append(" ".join(sents[i : i + size]))
        i += size
        k += 1
    return "\n\n".join(out)


TRAILING_PUNCT = re.compile(r"[\s.!?։။።፧።؟。！？…:;,\"'»”“«)\]]+$")


def words_of(sentence):
    return sentence.split()


def strip_end(sentence):
    return TRAILING_PUNCT.sub("", sentence)


def prose_docs(pick):
    return [
        ("prose-0", " ".join(pick.take(3))),
        ("prose-1", " ".join(pick.take(6))),
        ("prose-2", " ".join(pick.take(9))),
        ("prose-3", paragraphs(pick.take(12), [4])),
        ("prose-4", "\n".join(pick.take(18))),
        ("prose-5", paragraphs(pick.take(24), [3, 5, 4, 6, 2])),
    ]


def variant_docs(pick, pairs, single_words):
    docs = []
    # the same lines, three times over
    block = pick.take(6)
    docs.append(("x-dup-lines", "\n".join(block * 3)))
    # a paragraph whose last sentences repeat its first ones, inline
    s = pick.take(10)
    docs.append(("x-dup-inline", " ".join(s + s[1:4])))
    # one two-word phrase repeated
    s = pick.take(5)
    phrase = " ".join(words_of(s[0])[:2])
    docs.append(("x-top-2gram", " ".join(s) + "\n" + " ".join([phrase] * 30)))
    # list-like lines: a sentence's first words, no end punctuation
    s = pick.take(20)
    docs.append(("x-no-punct-lines", "\n".join(strip_end(" ".join(words_of(x)[:4])) for x in s)))
    # bullets
    s = pick.take(10)
    docs.append(("x-bullets", "\n".join(("• " if i % 2 else "- ") + x for i, x in enumerate(s))))
    # fragments cut with "..."
    s = pick.take(14)
    docs.append(("x-ellipsis-fragments", "\n".join(" ".join(words_of(x)[:5]) + "..." for x in s)))
    # long lines, every other one cut short and ended with "…"
    s = pick.take(12)
    docs.append(("x-end-ellipsis", "\n".join(
        (" ".join(words_of(x)[: max(3, len(words_of(x)) * 4 // 5)]) + "…") if i % 2 == 0 else x
        for i, x in enumerate(s))))
    # hashtags after each sentence
    s = pick.take(8)
    tagged = []
    for x in s:
        tags = ["#" + re.sub(r"\W", "", w) for w in words_of(x) if len(re.sub(r"\W", "", w)) > 3][:3]
        tagged.append(x + " " + " ".join(tags))
    docs.append(("x-hashtags", "\n".join(tagged)))
    # a column of numbers (the words' lengths) in front of each sentence
    s = pick.take(8)
    docs.append(("x-numbers", "\n".join(
        " ".join(str(len(w)) for w in words_of(x)) + " — " + x for x in s)))
    # words glued in threes (as in broken extraction)
    s = pick.take(14)
    glued = []
    for x in s:
        w = words_of(x)
        glued.append(" ".join("".join(w[i : i + 3]) for i in range(0, len(w), 3)))
    docs.append(("x-glued", " ".join(glued)))
    # a repeated long line among unique ones (duplicated characters, few duplicated lines)
    s = pick.take(12)
    longest = max(s, key=len)
    docs.append(("x-char-dup", "\n".join(s + [longest])))
    # CRLF line ends
    s = pick.take(8)
    docs.append(("x-crlf", "\r\n".join(s) + "\r\n"))
    # messy whitespace: double spaces, tabs, no-break spaces, trailing blanks
    s = pick.take(8)
    messy = []
    for i, x in enumerate(s):
        w = words_of(x)
        sep = ["  ", "\t", "\u00a0", " \u00a0 "][i % 4]
        messy.append(sep.join(w[:3]) + " " + " ".join(w[3:]) + [" ", "\t", "", "  "][i % 4])
    docs.append(("x-whitespace", "\n".join(messy)))
    # word pairs, as a list and as run-on sentences of five pairs
    docs.append(("x-pairs-lines", "\n".join(pairs[:30])))
    docs.append(("x-pairs-text", " ".join(" ".join(pairs[i : i + 5]) + "." for i in range(30, 90, 5))))
    # single words, one per line
    docs.append(("x-words-lines", "\n".join(single_words[:40])))
    return docs


def small_variant_docs(pick):
    block = pick.take(5)
    s = pick.take(16)
    return [
        ("x-dup-lines", "\n".join(block * 3)),
        ("x-no-punct-lines", "\n".join(strip_end(" ".join(words_of(x)[:4])) for x in s)),
    ]


def build():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", help="folder to keep downloads in (default: a temp dir)")
    parser.add_argument("-o", "--output", default=str(OUT))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(args.cache) if args.cache else Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        print("fetching lingua language models ...", file=sys.stderr, flush=True)
        lingua = load_lingua(cache)
        print("fetching cleave-sbd, spacy ...", file=sys.stderr, flush=True)
        cleave = load_cleave(cache)
        spacy_examples = load_spacy(cache)

    records = []

    def add(label, source, kind, text):
        records.append({"id": f"{label}/{source}/{kind}", "text": text, "language": label})

    for label in sorted(lingua):
        data = lingua[label]
        pick = Picker(data["sentences"])
        if label in OUT_OF_SCOPE:
            docs = [d for d in prose_docs(pick) if d[0] in ("prose-0", "prose-2", "prose-3")]
            docs += [("short-0", pick.take(1)[0])]
            docs += small_variant_docs(pick)
        else:
            docs = prose_docs(pick)
            docs += [(f"short-{i}", pick.take(1)[0]) for i in range(3)]
            docs += variant_docs(pick, data["pairs"], data["words"])
        for kind, text in docs:
            add(label, "lingua", kind, text)

    for label in sorted(cleave):
        texts = cleave[label]
        chunks, cur = [], []
        for t in texts:
            cur.append(t)
            if sum(len(x) for x in cur) > 1200:
                chunks.append(cur)
                cur = []
        if cur:
            chunks.append(cur)
        for i, chunk in enumerate(chunks[:4]):
            add(label, "cleave", str(i), " ".join(chunk))
            add(label, "cleave", f"lines-{i}", "\n".join(chunk))

    for label in sorted(spacy_examples):
        sents = spacy_examples[label]
        add(label, "spacy", "0", " ".join(sents))
        add(label, "spacy", "1", "\n".join(sents))

    # edge cases
    add("deu_Latn", "edge", "empty", "")
    add("tsn_Latn", "edge", "empty", "")
    add("deu_Latn", "edge", "blank", "  \n\n \t \n")
    add("fra_Latn", "edge", "blank", "\u00a0\n\u3000\n")
    add("rus_Cyrl", "edge", "symbols", "…\n—\n***\n")
    add("epo_Latn", "edge", "symbols", "# # #\n- - -\n")

    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    langs = {r["language"] for r in records}
    print(f"wrote {len(records)} documents in {len(langs)} languages to {out} "
          f"({out.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)


if __name__ == "__main__":
    build()
