"""Per-word memos read at C speed, for loops that run over every word of every text.

The figure and place stages ask the same question of each word (can a count start here? which names
can?) and keep the answers across texts. `lookup_all` reads the known answers with one `map` over
`dict.get` (no Python call per word) and computes only the words never seen before; the memo is
emptied when it reaches its bound, so a long corpus run keeps its memory flat (the frequent words
come straight back).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def lookup_all(memo: dict[K, V], keys: list[K], compute: Callable[[K], V], max_size: int) -> list[V]:
    """`[memo-or-compute(k) for k in keys]`, filling `memo`; `compute` must never return None."""
    values: list = list(map(memo.get, keys))
    try:
        i = values.index(None)
        while True:
            key = keys[i]
            value = memo.get(key)  # a word seen earlier in the same list
            if value is None:
                if len(memo) >= max_size:
                    memo.clear()
                value = memo[key] = compute(key)
            values[i] = value
            i = values.index(None, i + 1)
    except ValueError:
        pass
    return values
