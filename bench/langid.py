#!/usr/bin/env python3
"""whatlang against lingua on the vendored multilingual Golden Rules texts: accuracy per
language and speed, through their Python bindings (the same Rust crates; the binding
overhead per call is alike for both).

    pip install whatlang-pyo3==0.6.0 lingua-language-detector==2.1.1
    python3 bench/langid.py fixtures/golden
"""
import pathlib, sys, time, tomllib
from collections import defaultdict

import lingua
import whatlang

CODES = {"amharic": "am", "arabic": "ar", "armenian": "hy", "bulgarian": "bg", "burmese": "my",
         "chinese": "zh", "danish": "da", "deutsch": "de", "dutch": "nl", "french": "fr",
         "greek": "el", "hindi": "hi", "italian": "it", "japanese": "ja", "kazakh": "kk",
         "marathi": "mr", "persian": "fa", "polish": "pl", "russian": "ru", "slovak": "sk",
         "spanish": "es", "urdu": "ur"}
ISO3 = {"eng": "en", "deu": "de", "fra": "fr", "spa": "es", "rus": "ru", "tur": "tr", "ukr": "uk",
        "ara": "ar", "hye": "hy", "bul": "bg", "cmn": "zh", "dan": "da", "nld": "nl", "ell": "el",
        "hin": "hi", "ita": "it", "jpn": "ja", "mar": "mr", "pes": "fa", "pol": "pl", "slk": "sk",
        "urd": "ur", "amh": "am", "mya": "my", "kaz": "kk"}

root = pathlib.Path(sys.argv[1])
cases = [("en", c["text"]) for c in tomllib.loads((root / "pysbd-en.toml").read_text())["case"]]
for path in sorted((root / "lang").glob("*.toml")):
    for records in tomllib.loads(path.read_text()).values():
        cases += [(CODES[path.stem], r["text"]) for r in records]
size = sum(len(t.encode()) for _, t in cases)


def whatlang_code(text):
    info = whatlang.detect(text)
    return ISO3.get(str(info.lang).lower(), str(info.lang)) if info else None


def report(name, detect, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        for _, text in cases:
            detect(text)
    seconds = (time.perf_counter() - start) / repeat
    right, total = defaultdict(int), defaultdict(int)
    for code, text in cases:
        total[code] += 1
        right[code] += detect(text) == code
    all_right = sum(right.values())
    print(f"{name}: {all_right}/{len(cases)} = {100 * all_right / len(cases):.1f}%, "
          f"{size / seconds / 1e6:.2f} MB/s ({1e6 * seconds / len(cases):.0f} µs a text)")
    print("  " + ", ".join(f"{c} {right[c]}/{total[c]}" for c in sorted(total)))


print(f"{len(cases)} texts, {size} bytes")
report("whatlang 0.16 (all 69 languages)", whatlang_code, 20)
L = lingua.Language
for label, build in [
    ("lingua (all 75 languages, high accuracy)", lambda: lingua.LanguageDetectorBuilder.from_all_languages()),
    ("lingua (all 75 languages, low accuracy)", lambda: lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()),
]:
    start = time.perf_counter()
    detector = build().with_preloaded_language_models().build()
    load = time.perf_counter() - start

    def lingua_code(text, detector=detector):
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else None

    print(f"{label}: models load in {load:.1f} s")
    report(label, lingua_code, 3)
