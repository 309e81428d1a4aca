"""Score textscrub binaries (and pySBD, when importable) on the vendored golden sets."""
import json, subprocess, sys, tomllib, pathlib
CODES = {"amharic":"am","arabic":"ar","armenian":"hy","bulgarian":"bg","burmese":"my","chinese":"zh","danish":"da","deutsch":"de","dutch":"nl","french":"fr","greek":"el","hindi":"hi","italian":"it","japanese":"ja","kazakh":"kk","marathi":"mr","persian":"fa","polish":"pl","russian":"ru","slovak":"sk","spanish":"es","urdu":"ur"}
root = pathlib.Path(sys.argv[1])  # fixtures/golden
bins = sys.argv[2:]
cases = []
en = tomllib.loads((root/"pysbd-en.toml").read_text())
for c in en["case"]:
    cases.append(("en", False, c["text"], [s.strip() for s in c["sentences"]]))
for p in sorted((root/"lang").glob("*.toml")):
    code = CODES[p.stem]
    for sec, recs in tomllib.loads(p.read_text()).items():
        clean = "pdf" in sec or ("clean" in sec and "wo_clean" not in sec)
        for r in recs:
            cases.append((code, clean, r["text"], [s.strip() for s in r["expected"]]))
def same(got, exp, clean):
    if clean:
        sq = lambda s: "".join(s.split())
        return [sq(g) for g in got] == [sq(e) for e in exp]
    return got == exp
results = {}
for b in bins:
    inp = "".join(json.dumps({"id": str(i), "text": t, "lang": c}) + "\n" for i, (c, _, t, _) in enumerate(cases))
    out = subprocess.run([b, "split", "--format", "jsonl", "-j", "1", "-q", "-"], input=inp, capture_output=True, text=True, check=True).stdout
    got = [json.loads(l)["sentences"] for l in out.splitlines()]
    results[b] = got
try:
    import pysbd
    segs = {}
    got = []
    for c, clean, t, _ in cases:
        seg = pysbd.Segmenter(language=c, clean=clean)
        got.append([s.strip() for s in seg.segment(t) if s.strip()])
    results["pySBD 0.3.4"] = got
except ImportError:
    pass
langs = ["en"] + sorted(set(CODES.values()))
print("| language | cases | " + " | ".join(pathlib.Path(b).name for b in results) + " |")
print("|---|---:|" + "---:|" * len(results))
tot = {b: 0 for b in results}
other = {b: 0 for b in results}; n_other = 0
for l in langs:
    idx = [i for i, c in enumerate(cases) if c[0] == l]
    row = []
    for b, got in results.items():
        r = sum(same(got[i], cases[i][3], cases[i][1]) for i in idx)
        tot[b] += r
        if l != "en": other[b] += r
        row.append(f"{r}/{len(idx)}")
    if l != "en": n_other += len(idx)
    print(f"| {l} | {len(idx)} | " + " | ".join(row) + " |")
print(f"| other 22 | {n_other} | " + " | ".join(f"{other[b]}/{n_other} ({100*other[b]/n_other:.1f}%)" for b in results) + " |")
if "-v" in sys.argv[0:0]: pass
import os
if os.environ.get("MISSES"):
    b = bins[-1]
    for i, (c, clean, t, exp) in enumerate(cases):
        if not same(results[b][i], exp, clean):
            print(f"== {c} {'clean' if clean else ''}\n  text {t[:300]!r}\n  exp  {exp}\n  got  {results[b][i]}")
