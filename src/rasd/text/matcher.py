"""Phrase matching over normalised Arabic text, aware of clitics.

Lexicons (actors, triggers, places, reporting verbs...) are compiled once into an Aho-Corasick
automaton (pyahocorasick). A hit counts only when it sits on word boundaries, where the word may
carry proclitics in front (و ف ب ل ك and the article ال, with ل + ال written لل) and, where the
lexicon allows it, a suffix from a small closed set (pronouns, plural endings). This is how
"بمدينة إدلب", "لجبل الزاوية" and "والجيش السوري" all find their lexicon entries.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from rasd.text.normalize import normalize_key

T = TypeVar("T")

ARTICLE = "ال"
CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")


def _valid_prefixes() -> tuple[frozenset[str], frozenset[str]]:
    """Prefix chains allowed before a word: (without article, ending in the article)."""
    bare, with_article = set(), set()
    for conj in CONJUNCTIONS:
        for prep in PREPOSITIONS:
            bare.add(conj + prep)
            with_article.add(conj + ("لل" if prep == "ل" else prep + ARTICLE))
    return frozenset(bare), frozenset(with_article)


BARE_PREFIXES, ARTICLE_PREFIXES = _valid_prefixes()
PRONOUN_SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "هن", "ي", "نا", "كم"})


def is_word_char(ch: str) -> bool:
    return ch.isalnum() and ch != "_"


def strip_clitics(word: str) -> str:
    """The word without its longest valid proclitic chain (keeps at least three letters)."""
    for length in range(min(4, len(word) - 3), 0, -1):
        head = word[:length]
        if head in ARTICLE_PREFIXES or head in BARE_PREFIXES:
            return word[length:]
    return word


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int  # normalised offsets of the phrase itself (clitic prefix excluded)
    end: int
    key: str
    payloads: tuple[T, ...]


class PhraseMatcher(Generic[T]):
    """Find lexicon phrases in normalised text.

    `entries` are (phrase, payload) pairs; phrases are normalised here. A phrase written with the
    article also matches without it after a preposition (للجيش → الجيش). `suffixes` lists word
    endings that may follow the phrase inside its last word (e.g. pronoun suffixes for verbs).
    """

    def __init__(self, entries: Iterable[tuple[str, T]], suffixes: Iterable[str] = ()) -> None:
        self._payloads: dict[str, list[T]] = {}
        for phrase, payload in entries:
            key = normalize_key(phrase)
            if key:
                self._payloads.setdefault(key, []).append(payload)
        self.suffixes = frozenset(suffixes)
        self._automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            self._add(key, key, tuple(payloads), False)
            if key.startswith(ARTICLE) and len(key) > 4:
                self._add(key[2:], key, tuple(payloads), True)
        if len(self._automaton):
            self._automaton.make_automaton()

    def _add(self, surface: str, key: str, payloads: tuple, stripped: bool) -> None:
        existing = self._automaton.get(surface, None)
        if existing is not None and not existing[2]:
            return  # a real entry wins over an article-stripped variant
        self._automaton.add_word(surface, (key, payloads, stripped, len(surface)))

    def __len__(self) -> int:
        return len(self._payloads)

    def keys(self) -> list[str]:
        return list(self._payloads)

    def find_all(self, text: str) -> list[Match[T]]:
        """Every boundary-respecting hit, possibly overlapping."""
        if not len(self._automaton):
            return []
        hits: list[Match[T]] = []
        n = len(text)
        suffixes = self.suffixes
        # str.isalnum() is is_word_char(): "_" is not alphanumeric; inlined (not `_on_boundaries`, which
        # must stay the same check), as this loop is the hot path of every matcher
        for last, (key, payloads, stripped, length) in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if end < n and text[end].isalnum():
                tail_end = end + 1
                while tail_end < n and text[tail_end].isalnum():
                    tail_end += 1
                if text[end:tail_end] not in suffixes:
                    continue
            token_start = start
            while token_start > 0 and text[token_start - 1].isalnum():
                token_start -= 1
            prefix = text[token_start:start]
            if stripped:
                if prefix not in ARTICLE_PREFIXES and prefix not in BARE_PREFIXES:
                    continue
                if prefix.endswith("لل") or prefix.endswith("ال"):
                    start -= 2 if prefix.endswith("ال") else 1
            elif prefix and prefix not in BARE_PREFIXES and (key.startswith(ARTICLE) or prefix not in ARTICLE_PREFIXES):
                continue
            hits.append(Match(start, end, key, payloads))
        return hits

    def find(self, text: str) -> list[Match[T]]:
        """Leftmost-longest non-overlapping hits, in text order."""
        return longest_first(self.find_all(text))


def _on_boundaries(text: str, n: int, last: int, value: tuple, suffixes: frozenset[str]) -> Match | None:
    """The Match for an automaton hit ending at text[last] when it sits on word boundaries (a clitic
    chain allowed before it, one of `suffixes` after it), else None: for MatcherSet, the very check
    that PhraseMatcher.find_all runs inlined (change both together)."""
    key, payloads, stripped, length = value
    start, end = last - length + 1, last + 1
    if end < n and text[end].isalnum():
        tail_end = end + 1
        while tail_end < n and text[tail_end].isalnum():
            tail_end += 1
        if text[end:tail_end] not in suffixes:
            return None
    token_start = start
    while token_start > 0 and text[token_start - 1].isalnum():
        token_start -= 1
    prefix = text[token_start:start]
    if stripped:
        if prefix not in ARTICLE_PREFIXES and prefix not in BARE_PREFIXES:
            return None
        if prefix.endswith("لل") or prefix.endswith("ال"):
            start -= 2 if prefix.endswith("ال") else 1
    elif prefix and prefix not in BARE_PREFIXES and (key.startswith(ARTICLE) or prefix not in ARTICLE_PREFIXES):
        return None
    return Match(start, end, key, payloads)


class MatcherSet:
    """Several PhraseMatchers run over a text in one automaton pass.

    Walking a text with an automaton costs about as much as checking its hits, so matchers that
    always run over the same text together (the figure stage has five) share one merged automaton:
    each surface form keeps the entry it had in every matcher, and each hit is checked with its own
    matcher's suffixes. `find_all(text)[i]` equals `matchers[i].find_all(text)`, in the same order
    (hits come by end offset, then longest first, in both automata).
    """

    def __init__(self, matchers: Iterable[PhraseMatcher]) -> None:
        self.matchers = tuple(matchers)
        self._suffixes = tuple(m.suffixes for m in self.matchers)
        merged: dict[str, list[tuple]] = {}
        for index, matcher in enumerate(self.matchers):
            if len(matcher._automaton):
                for surface, value in matcher._automaton.items():
                    merged.setdefault(surface, []).append((index, value))
        self._automaton = ahocorasick.Automaton()
        for surface, entries in merged.items():
            self._automaton.add_word(surface, tuple(entries))
        if merged:
            self._automaton.make_automaton()

    def find_all(self, text: str) -> list[list[Match]]:
        """Every matcher's boundary-respecting hits, possibly overlapping (one list per matcher)."""
        found: list[list[Match]] = [[] for _ in self.matchers]
        if not len(self._automaton):
            return found
        n = len(text)
        suffixes = self._suffixes
        for last, entries in self._automaton.iter(text):
            for index, value in entries:
                hit = _on_boundaries(text, n, last, value, suffixes[index])
                if hit is not None:
                    found[index].append(hit)
        return found


S = TypeVar("S")


def longest_first(hits: Iterable[S]) -> list[S]:
    """Longest hits first (leftmost among equals), each kept only if it overlaps none kept before;
    returned in text order. Hits need `start` < `end`. O(n log n): the kept spans never overlap, so
    sorted by start they are sorted by end too, and one bisect finds the only one that could clash.
    """
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[S] = []
    for hit in sorted(hits, key=lambda m: (m.start - m.end, m.start)):  # type: ignore[attr-defined]
        a, b = hit.start, hit.end  # type: ignore[attr-defined]
        k = bisect_left(starts, b)
        if k and ends[k - 1] > a:
            continue
        starts.insert(k, a)
        ends.insert(k, b)
        chosen.insert(k, hit)
    return chosen
