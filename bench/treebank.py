"""Sentence boundary F1 on real treebank text, old and new textscrub (and pySBD) in one run.

Usage: python3 bench/treebank.py FILE.conllu BINARY... 

Documents are rebuilt from the treebank (`# newdoc` starts one; sentences joined by a
space), each system splits them, and a boundary counts when a system ends a sentence at
the same character offset as the treebank. `# text` and, in parallel treebanks (PUD),
`# text_en` are scored as two languages. The Czech and English PUD sample ships in the
`udtools` sdist (tests/test-cases/eval/cs_pud-gold.conllu):
    pip download --no-deps --no-binary :all: udtools==0.2.9
"""
import json, subprocess, sys

def documents(path, key):
    docs, current = [], []
    for line in open(path, encoding="utf-8"):
        if line.startswith("# newdoc") and current:
            docs.append(current); current = []
        if line.startswith(f"# {key} = "):
            current.append(line[len(f"# {key} = "):].strip())
    if current:
        docs.append(current)
    return docs

def boundaries(text, sentences):
    ends, at = set(), 0
    for s in sentences:
        at = text.index(s, at) + len(s)
        ends.add(at)
    ends.discard(len(text))
    return ends

def score(gold, predicted):
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    precision = tp / max(tp + fp, 1); recall = tp / max(tp + fn, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)

def main():
    path, bins = sys.argv[1], sys.argv[2:]
    for key, lang in (("text", "cs"), ("text_en", "en")):
        docs = documents(path, key)
        texts = [" ".join(d) for d in docs]
        gold = [boundaries(t, d) for t, d in zip(texts, docs)]
        rows = []
        for b in bins:
            for declared in (None, lang):
                records = "".join(json.dumps({"id": str(i), "text": t, **({"lang": declared} if declared else {})}) + "\n" for i, t in enumerate(texts))
                out = subprocess.run([b, "split", "--format", "jsonl", "-q", "-"], input=records, capture_output=True, text=True, check=True).stdout
                predicted = [boundaries(t, json.loads(l)["sentences"]) for t, l in zip(texts, out.splitlines())]
                rows.append((f"{b} (lang {declared or 'not given'})", score(gold, predicted)))
        try:
            import pysbd
            seg = pysbd.Segmenter(language=lang if lang in ("en",) else "en", clean=False)
            predicted = [boundaries(t, [s.strip() for s in seg.segment(t) if s.strip()]) for t in texts]
            rows.append(("pySBD 0.3.4 (en rules)", score(gold, predicted)))
        except ImportError:
            pass
        n = sum(len(g) for g in gold)
        print(f"\n{key} ({lang}): {len(docs)} documents, {sum(map(len, docs))} sentences, {n} inner boundaries")
        print("| system | precision | recall | F1 |\n|---|---:|---:|---:|")
        for name, (p, r, f) in rows:
            print(f"| {name} | {p:.4f} | {r:.4f} | {f:.4f} |")

main()
