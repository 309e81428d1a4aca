"""Type stubs of the compiled module."""

from os import PathLike
from typing import Any, Optional, Sequence

__version__: str

class Outcome:
    """What cleaning one text produced."""

    id: str
    original: str
    text: str
    changes: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    sentences: Optional[list[str]]
    quality: Optional[dict[str, Any]]
    guard: Optional[dict[str, float]]
    changed: bool
    def diff(self) -> str:
        """The unified diff, as ``clean --diff`` writes it (empty when unchanged)."""
    def change_records(self) -> str:
        """The change records as JSON lines, as ``clean --changes`` writes them."""

class Pipeline:
    """Compiled rules; build once, clean many texts. Picklable."""

    def __init__(
        self,
        rules: Optional[Sequence[str | PathLike[str]]] = None,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        extend_select: Optional[Sequence[str]] = None,
        config: Optional[str | PathLike[str]] = None,
        *,
        default_rules: bool = True,
        quality: bool = False,
        sentences: bool = False,
        lang: Optional[str] = None,
        guard_share: Optional[float] = None,
    ) -> None: ...
    def clean(self, text: str, id: Optional[str] = None, lang: Optional[str] = None) -> Outcome: ...
    def clean_batch(self, texts: Sequence[str], ids: Optional[Sequence[str]] = None) -> list[Outcome]: ...
    def rule_ids(self) -> list[str]: ...

def split(text: str, lang: str = "en") -> list[str]: ...
