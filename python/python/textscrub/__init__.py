"""textscrub: clean scraped text corpora and record every change with the rule that made it.

>>> import textscrub
>>> pipeline = textscrub.Pipeline()
>>> outcome = pipeline.clean("[ad_1]\\nPresident Sooronbay Ceenbekov spoke.\\n", id="doc-1")
>>> outcome.text
'President Sooronbay Jeenbekov spoke.\\n'
>>> [c["rule"] for c in outcome.changes]
['scraper/ad-placeholder', 'names/kyrgyz-translit']

Engine glue lives in `textscrub.spark`, `textscrub.ray` and `textscrub.datatrove`; each
imports its engine only when used.
"""

from textscrub._native import Outcome, Pipeline, __version__, split
from textscrub._batch import clean_columns

__all__ = ["Outcome", "Pipeline", "split", "clean_columns", "__version__"]
