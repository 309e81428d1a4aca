"""Column-wise cleaning shared by the engine glue: texts and ids in, columns out."""

from __future__ import annotations

from typing import Optional, Sequence

from textscrub._native import Pipeline


def clean_columns(
    pipeline: Pipeline,
    texts: Sequence[Optional[str]],
    ids: Optional[Sequence[Optional[str]]] = None,
) -> dict:
    """Clean a column of texts in parallel (the GIL is released while rules run).

    Returns the columns an engine adds or replaces: ``text`` (cleaned; a missing text stays
    missing), ``changes`` (the change records as JSON lines, as ``clean --changes`` writes
    them; empty when nothing changed) and ``changed`` (bool).
    """
    ids = [("" if i is None else str(i)) for i in (ids if ids is not None else [None] * len(texts))]
    present = [i for i, t in enumerate(texts) if t is not None]
    outcomes = pipeline.clean_batch([texts[i] for i in present], [ids[i] for i in present])
    text: list = list(texts)
    changes: list = [""] * len(texts)
    changed: list = [False] * len(texts)
    for index, outcome in zip(present, outcomes):
        text[index] = outcome.text
        changes[index] = outcome.change_records()
        changed[index] = outcome.changed
    return {"text": text, "changes": changes, "changed": changed}
