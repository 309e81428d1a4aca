"""Writes src/dedup/params.json: the MinHash permutation parameters datatrove draws.

datatrove's MinhashDedupSignature draws `a` and `b` for every hash from NumPy's seeded
legacy generator (`np.random.RandomState(seed).randint(...)`, all `a` first). They are taken
here from datatrove itself, so textscrub's signatures are datatrove's, bit for bit.

    python scripts/gen_minhash_params.py  # needs datatrove==0.10.1 (tests/parity/requirements.txt)
"""

import json
import pathlib

from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature

# (seed, num_buckets, hashes_per_bucket): datatrove's default, which FineWeb and FineWeb-2 use.
CONFIGS = [(1, 14, 8)]


def main():
    out = {"generator": "scripts/gen_minhash_params.py (datatrove 0.10.1)", "params": []}
    for seed, buckets, per_bucket in CONFIGS:
        step = MinhashDedupSignature(
            output_folder="/tmp/unused",
            config=MinhashConfig(seed=seed, num_buckets=buckets, hashes_per_bucket=per_bucket),
        )
        a, b = step.parameters
        out["params"].append(
            {
                "seed": seed,
                "num_hashes": buckets * per_bucket,
                "a": [int(x) for x in a[0]],
                "b": [int(x) for x in b[0]],
            }
        )
    path = pathlib.Path(__file__).resolve().parent.parent / "src" / "dedup" / "params.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
