"""datatrove glue: a ``PipelineStep`` that cleans ``Document``s.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from textscrub.datatrove import TextscrubCleaner
>>> LocalPipelineExecutor([JsonlReader("in/"), TextscrubCleaner(), ...]).run()

Each document's text is replaced by the cleaned text; ``metadata["textscrub_changes"]``
holds its change records (dicts, positions in the original) and
``metadata["textscrub_findings"]`` what check-only rules reported.
"""

from __future__ import annotations

from datatrove.pipeline.base import PipelineStep

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
