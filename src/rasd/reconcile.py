"""Reconciling an event's fatalities across sources (SPEC section 4).

Per victim group, the smallest `best` among asserting sources (ACLED's most conservative reading);
the event's best is the sum over named groups, or the unknown-group value when that is larger (an
unknown-group figure restates the same deaths vaguely, so it is not added). `low` is computed the
same way from the lows and is 0 when any source denies the event; `high` is the largest total any
one source reports. An event is contested when a source denies it or two sources' intervals for
the same group do not overlap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reported:
    source: str
    stance: str
    group: str
    low: int | None
    best: int
    high: int | None


def _combine(per_group: dict[str, int]) -> int:
    unknown = per_group.pop("unknown", None)
    named = sum(per_group.values())
    if unknown is not None and unknown > named:
        return unknown
    return named


def reconcile(figures: list[Reported], denied: bool) -> tuple[dict[str, int | None], bool]:
    """Return ({low, best, high}, contested) for the killed figures of one event."""
    asserted = [f for f in figures if f.stance == "asserts"]
    contested = denied or any(f.stance == "denies" for f in figures)
    if not asserted:
        return {"low": 0, "best": 0, "high": 0}, contested
    best_by_group: dict[str, int] = {}
    low_by_group: dict[str, int] = {}
    intervals: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    for f in asserted:
        best_by_group[f.group] = min(best_by_group.get(f.group, f.best), f.best)
        low = f.low if f.low is not None else 0
        low_by_group[f.group] = min(low_by_group.get(f.group, low), low)
        intervals[f.group].append((f.source, low, f.high if f.high is not None else float("inf")))
    best = _combine(dict(best_by_group))
    low = 0 if contested else _combine(dict(low_by_group))
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for f in asserted:
        top = f.high if f.high is not None else f.best
        totals[f.source][f.group] = max(totals[f.source].get(f.group, 0), top)
    high = max(_combine(dict(groups)) for groups in totals.values())
    high = max(high, best)
    for spans in intervals.values():
        for i, (src_a, lo_a, hi_a) in enumerate(spans):
            for src_b, lo_b, hi_b in spans[i + 1:]:
                if src_a != src_b and (hi_a < lo_b or hi_b < lo_a):
                    contested = True
    return {"low": low, "best": best, "high": high}, contested
