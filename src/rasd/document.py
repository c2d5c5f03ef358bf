"""The one document object every pipeline stage reads and adds to.

It keeps the original text, the normalised view and the offset map between them (see
`rasd.text.normalize`). Stages work on `doc.norm` and store mentions with normalised offsets;
`doc.span(start, end)` turns those into original offsets, so `doc.text[a:b]` is always the evidence
a reader highlights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from rasd.text.normalize import normalize
from rasd.text.segment import Span, split_clauses, split_sentences


@dataclass
class Document:
    text: str
    published: date | None = None
    outlet: str | None = None
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    norm: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    # stage outputs, in pipeline order (`pipeline.STAGES`); each stage documents the type it stores
    triggers: list[Any] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    relevant: bool = True  # False once the relevance stage finds nothing an event could be read from
    country_hint: str | None = None
    dates: list[Any] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    actors: list[Any] = field(default_factory=list)
    attribution: Any = None
    figure_actors: dict = field(default_factory=dict)
    weapons: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.norm, self.starts, self.ends = normalize(self.text)
        self.sentences = split_sentences(self.norm)

    @cached_property
    def clauses(self) -> list[list[Span]]:
        """Each sentence's clauses; split on first use, as most stages read whole sentences."""
        return [split_clauses(self.norm, s) for s in self.sentences]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of the normalised range [start, end)."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.text)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def original(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.text[a:b]

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing normalised offset `pos` (nearest preceding one)."""
        lo, hi = 0, len(self.sentences) - 1
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= pos:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return best
