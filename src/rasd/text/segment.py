"""Sentence and clause splitting over the normalised text, keeping offsets.

Sentences end at . ! ? ؟ and line breaks (not at a dot between digits, e.g. 3.5, and not at a
single line break that only wraps a short fragment of a sentence). Clauses further
split a sentence at ، ؛ and : so that attribution and event arguments can be read clause by clause.
Quotes «» and "" do not stop a sentence: a quoted statement is read as part of the sentence that
introduces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<!\d)[.!?؟]+(?!\d)|\n+|(?<=\d)\.(?!\d)")
_CLAUSE_END = re.compile(r"[،,؛;:]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters for which str.isalnum() is true


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Span]:
    return list(sentence_spans(text))


@lru_cache(maxsize=8)
def sentence_spans(text: str) -> tuple[Span, ...]:
    """`split_sentences` as an immutable, cached tuple: every stage of a document asks for the same
    sentences of the same text, so they are split once."""
    spans: list[Span] = []
    pos = 0
    has_alnum = _ALNUM.search
    for m in _SENTENCE_END.finditer(text):
        if m.group(0)[0] == "\n" and _wrapped_line(text, pos, m):
            continue
        if m.group(0) == "." and _initial(text, m.start()):
            continue  # "(د.ب.أ)", "أ.ف.ب": initials of an agency, not the end of a sentence
        s, e = _trim(text, pos, m.end() if m.group(0)[0] != "\n" else m.start())
        if e > s and has_alnum(text, s, e):
            spans.append(Span(s, e))
        pos = m.end()
    s, e = _trim(text, pos, len(text))
    if e > s and has_alnum(text, s, e):
        spans.append(Span(s, e))
    return tuple(spans)


def _initial(text: str, dot: int) -> bool:
    """A dot right after a one-letter word (an abbreviation's initial)."""
    if dot < 1 or not text[dot - 1].isalpha():
        return False
    return dot < 2 or not text[dot - 2].isalnum()


_WRAP_MAX = 40
_LINE_FINAL = '.!?؟:"»)'


def _wrapped_line(text: str, pos: int, m: re.Match[str]) -> bool:
    """A single line break inside a sentence: the text before it ends with no stop and one of the
    two lines is a short fragment ("...باستخدام\nمواد كيماوية\nفي هجوم", a wrapped link). Paragraph
    breaks (blank lines) always end a sentence."""
    if m.group(0).count("\n") > 1:
        return False
    before = text[pos:m.start()].rstrip()
    if not before or before[-1] in _LINE_FINAL:
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    next_end = text.find("\n", m.end())
    next_line = text[m.end(): next_end if next_end >= 0 else len(text)].strip()
    if not next_line:
        return False
    return len(text[line_start:m.start()].strip()) < _WRAP_MAX or len(next_line) < _WRAP_MAX


def split_clauses(text: str, sentence: Span) -> list[Span]:
    spans: list[Span] = []
    pos = sentence.start
    for m in _CLAUSE_END.finditer(text, sentence.start, sentence.end):
        if text[m.start()] == "," and 0 < m.start() < len(text) - 1 and text[m.start() - 1].isdigit() and text[m.start() + 1].isdigit():
            continue
        s, e = _trim(text, pos, m.start())
        if e > s:
            spans.append(Span(s, e))
        pos = m.end()
    s, e = _trim(text, pos, sentence.end)
    if e > s:
        spans.append(Span(s, e))
    return spans


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Word, number and punctuation tokens (clitics stay attached; the matcher handles them)."""
    return [Span(m.start(), m.end()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]
