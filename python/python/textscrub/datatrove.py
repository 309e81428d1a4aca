"""datatrove glue: a ``PipelineStep`` that cleans ``Document``s, and drop-in versions of
datatrove's own steps computed in Rust.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from textscrub.datatrove import TextscrubCleaner
>>> LocalPipelineExecutor([JsonlReader("in/"), TextscrubCleaner(), ...]).run()

Each document's text is replaced by the cleaned text; ``metadata["textscrub_changes"]``
holds its change records (dicts, positions in the original) and
``metadata["textscrub_findings"]`` what check-only rules reported.

Drop-in steps: change the import of a datatrove recipe,

>>> from textscrub.datatrove import GopherQualityFilter, GopherRepetitionFilter, FineWebQualityFilter

and the same classes, with the same arguments, judge in Rust. Each is a subclass of
datatrove's class (stats, exclusion writers and executors work as before). Where textscrub
does not reproduce an argument value or a language exactly, that step runs datatrove's own
code, and says so once in the log. ``C4QualityFilter`` and ``FTFYFormatter`` always run
datatrove's code for now (C4's line rewriting and ftfy are not reproduced byte for byte).
"""

from __future__ import annotations

import json

from datatrove.pipeline import filters as _filters
from datatrove.pipeline import formatters as _formatters
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.dedup import minhash as _minhash
from datatrove.utils.logging import logger

from textscrub import _native
from textscrub._native import Pipeline

BATCH = 256


class TextscrubCleaner(PipelineStep):
    name = "🧽 textscrub"
    type = "🧹 - FILTER"

    def __init__(self, pipeline: Pipeline | None = None):
        super().__init__()
        self.pipeline = pipeline if pipeline is not None else Pipeline()

    def _flush(self, documents):
        outcomes = self.pipeline.clean_batch([d.text for d in documents], [str(d.id) for d in documents])
        for document, outcome in zip(documents, outcomes):
            if outcome.changed:
                self.stat_update("changed")
            document.text = outcome.text
            document.metadata["textscrub_changes"] = outcome.changes
            document.metadata["textscrub_findings"] = outcome.findings
            yield document

    def run(self, data, rank: int = 0, world_size: int = 1):
        batch = []
        for document in data:
            self.stat_update("documents")
            batch.append(document)
            if len(batch) >= BATCH:
                yield from self._flush(batch)
                batch = []
        if batch:
            yield from self._flush(batch)


# --- Drop-in datatrove steps -------------------------------------------------------------

_said: set = set()


def _fallback(step, why: str) -> None:
    """Logs, once per class and reason, that datatrove's own code runs."""
    key = (type(step).__name__, why)
    if key not in _said:
        _said.add(key)
        logger.info(f"textscrub: {type(step).__name__} runs datatrove's own code: {why}")


def _jsonable(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class _NativeFilter:
    """Mixin: ``filter`` computed by textscrub when the arguments allow it."""

    _ARGS: tuple = ()
    _KIND = ""

    def __init__(self, *args, **kwargs):
        # datatrove's class (next in the order) sets the arguments the native filter reads.
        super().__init__(*args, **kwargs)
        self._setup_native()

    def _native_args(self) -> dict:
        return {name: _jsonable(getattr(self, attribute)) for name, attribute in self._ARGS}

    def _setup_native(self) -> None:
        try:
            self._native = _native.DatatroveFilter(self._KIND, json.dumps(self._native_args()))
        except (ValueError, TypeError) as e:
            self._native = None
            _fallback(self, str(e))

    def filter(self, doc):
        if self._native is None:
            return super().filter(doc)
        reason = self._native.judge(doc.text)
        return True if reason is None else (False, reason)

    def filter_batch(self, batch):
        if self._native is None:
            return super().filter_batch(batch)
        reasons = self._native.judge_batch([doc.text for doc in batch])
        return [True if reason is None else (False, reason) for reason in reasons]


class GopherQualityFilter(_NativeFilter, _filters.GopherQualityFilter):
    """datatrove's ``GopherQualityFilter``, computed by textscrub."""

    _KIND = "GopherQualityFilter"

    _ARGS = tuple(
        (a, a)
        for a in (
            "min_doc_words", "max_doc_words", "min_avg_word_length", "max_avg_word_length",
            "max_symbol_word_ratio", "max_bullet_lines_ratio", "max_ellipsis_lines_ratio",
            "max_non_alpha_words_ratio", "min_stop_words", "stop_words", "language",
        )
    )


class GopherRepetitionFilter(_NativeFilter, _filters.GopherRepetitionFilter):
    """datatrove's ``GopherRepetitionFilter``, computed by textscrub."""

    _KIND = "GopherRepetitionFilter"

    _ARGS = tuple(
        (a, a)
        for a in (
            "dup_line_frac", "dup_para_frac", "dup_line_char_frac", "dup_para_char_frac",
            "top_n_grams", "dup_n_grams", "language",
        )
    )


class FineWebQualityFilter(_NativeFilter, _filters.FineWebQualityFilter):
    """datatrove's ``FineWebQualityFilter``, computed by textscrub."""

    _KIND = "FineWebQualityFilter"

    _ARGS = (
        ("line_punct_thr", "line_punct_thr"),
        ("line_punct_exclude_zero", "line_punct_exclude_zero"),
        ("short_line_thr", "short_line_threshold"),
        ("short_line_length", "short_line_length"),
        ("char_duplicates_ratio", "char_duplicates_ratio"),
        ("new_line_ratio", "new_line_ratio"),
        ("language", "language"),
    )

    def _native_args(self) -> dict:
        from datatrove.utils.text import TERMINAL_PUNCTUATION

        args = super()._native_args()
        args["stop_chars_default"] = tuple(self.stop_chars) == tuple(TERMINAL_PUNCTUATION)
        return args


class C4QualityFilter(_filters.C4QualityFilter):
    """datatrove's ``C4QualityFilter`` (its own code: C4's line rewriting is not ported yet)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _fallback(self, "C4's line rewriting is not reproduced by textscrub yet")


class FTFYFormatter(_formatters.FTFYFormatter):
    """datatrove's ``FTFYFormatter`` (its own code: textscrub's mojibake step is not ftfy
    byte for byte)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _fallback(self, "textscrub does not reproduce ftfy exactly")


_EMAILS = ("email@example.com", "firstname.lastname@example.org")
_IPS = ("22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206", "220.127.116.11", "18.104.22.168")


class PIIFormatter(_formatters.PIIFormatter):
    """datatrove's ``PIIFormatter``, computed by textscrub for its default arguments (the
    placeholders rotate across the documents of a task, as datatrove's do)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = (
            self.remove_emails is True
            and self.remove_ips is True
            and tuple(self.emails_replacer.replacements) == _EMAILS
            and tuple(self.ip_replacer.replacements) == _IPS
            and self.ip_replacer.validator.keywords.get("public_only", True) is True
        )
        self._native = _native.PiiFormatter() if default else None
        if not default:
            _fallback(self, "arguments other than the defaults")

    def format(self, text: str) -> str:
        if self._native is None:
            return super().format(text)
        return self._native.format(text)


class SymbolLinesFormatter(_formatters.SymbolLinesFormatter):
    """datatrove's ``SymbolLinesFormatter``, computed by textscrub for FineWeb-2's arguments
    (``symbols_to_remove=["|"], replace_char="\\n"``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_native = self.symbols_to_remove == {"|"} and self.replace_char == "\n"
        if not self._use_native:
            _fallback(self, "arguments other than FineWeb-2's")

    def format(self, text: str) -> str:
        if not self._use_native:
            return super().format(text)
        return _native.symbol_lines(text)


class MinhashDedupSignature(_minhash.MinhashDedupSignature):
    """datatrove's ``MinhashDedupSignature`` (stage 1 of 4), computed by textscrub: the same
    sorted ``bucket_BBB/RRRRR.minhash.sig`` files, so datatrove's ``MinhashDedupBuckets``,
    ``MinhashDedupCluster`` and ``MinhashDedupFilter`` run the rest. A configuration, a
    language or an output folder (not on the local disk) that textscrub does not reproduce
    runs datatrove's own code."""

    BATCH = 1024

    def _native_for(self, rank: int):
        from fsspec.implementations.local import LocalFileSystem
        from datatrove.utils.text import TextNormConfig

        config = self.config
        if not isinstance(self.output_folder.fs, LocalFileSystem):
            return None, "the output folder is not on the local disk"
        if config.norm_config != TextNormConfig():
            return None, "a text normalisation other than datatrove's default"
        try:
            return _native.MinhashSignatures(
                self.output_folder.path,
                n_grams=config.n_grams,
                num_buckets=config.num_buckets,
                hashes_per_bucket=config.hashes_per_bucket,
                seed=config.seed,
                hash_fc=config.hash_config.hash_fc,
                precision=config.hash_config.precision,
                language=str(self.language),
                rank=rank,
            ), None
        except ValueError as e:
            return None, str(e)

    def run(self, data, rank: int = 0, world_size: int = 1):
        if self.skip_existing_sigs and self.check_can_skip_sig_writing(rank)[0]:
            yield from super().run(data, rank, world_size)
            return
        native, why = self._native_for(rank)
        if native is None:
            _fallback(self, why)
            yield from super().run(data, rank, world_size)
            return
        with self.track_time():
            batch = []
            for doc in data:
                self.stat_update("total")
                batch.append(doc.text)
                if len(batch) >= self.BATCH:
                    native.add(batch)
                    batch = []
            if batch:
                native.add(batch)
            native.finish()
        return
        yield  # a generator, as datatrove's steps are
