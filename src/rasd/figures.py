"""Casualty and other human figures: numbers, the people they count, and what happened to them.

Two layers, both over the *normalised* text (see `rasd.text.normalize`):

* `find_quantities` reads every count an analyst would: Western/Eastern digits ("1,200", "1.5 مليون"),
  number words ("مئتين وخمسين", "ثمانين ألف"), duals ("جنديين", "قتيلان"), qualifiers ("نحو", "أكثر من",
  "على الأقل"), ranges ("بين 20 و30") and vague words ("عشرات", "عدد من") with the SPEC's low/high/best;
  plural victim nouns with no number ("قتلى") become `unquantified` counts.
* `find_figures` ties a quantity to a kind word (قتل، إصابة، نزوح، اعتقال ...) in the same sentence,
  before it ("قُتل نحو 40 جندياً", "مقتل 50 متشدداً") or after it ("سبعة جنود قتلوا"), and to the victims'
  group ("جنود" -> soldiers, "80 آخرون" -> the group of the figure before).

All knowledge sits in three TSV lexicons next to this module (README_figures.md documents them), so a
reader who writes no Python can add a number word, a kind word or a victim noun.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from itertools import compress, repeat
from itertools import count as _counter
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from rasd.text.matcher import PRONOUN_SUFFIXES, Match, MatcherSet, PhraseMatcher, longest_first
from rasd.text.memo import lookup_all
from rasd.text.normalize import normalize_key
from rasd.text.segment import sentence_spans

LEXICONS = Path(__file__).resolve().parent / "lexicons"

# ---------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count read from the text; offsets are normalised, end exclusive."""

    start: int
    end: int
    low: int | None
    high: int | None
    best: int
    qualifier: str  # exact|approx|at_least|at_most|vague|unquantified


@dataclass(frozen=True, slots=True)
class FigureMention:
    """A count of people to whom something happened (killed, injured ...), in normalised offsets."""

    start: int
    end: int
    kind: str
    low: int | None
    high: int | None
    best: int
    qualifier: str
    group: str
    victim_text_start: int | None = None
    victim_text_end: int | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


# ------------------------------------------------------------------------------------------ lexicons


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon TSV (comment lines start with '#'), values stripped."""
    with open(LEXICONS / name, encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def _int(s: str) -> int | None:
    return int(s) if s else None


@dataclass(frozen=True, slots=True)
class _Phrase:
    type: str  # vague|unquantified|before|after
    low: int | None
    high: int | None
    best: int | None
    qualifier: str


@dataclass
class _NumberLex:
    numbers: dict[str, float] = field(default_factory=dict)
    multipliers: dict[str, int] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], _Phrase] = field(default_factory=dict)
    max_len: int = 1
    first_types: dict[str, frozenset[str]] = field(default_factory=dict)  # first word -> its phrases' types


def _with_accusative(word: str) -> list[str]:
    """A word and its accusative spelling with alif (ألف -> ألفا, حوثي -> حوثيا), the written tanween."""
    return [word] if word.endswith(("ا", "ه")) else [word, word + "ا"]


@cache
def number_lexicon() -> _NumberLex:
    lex = _NumberLex()
    for row in _rows("number_words.tsv"):
        key = normalize_key(row["word"])
        kind = row["type"]
        if kind == "number":
            for w in _with_accusative(key):
                lex.numbers.setdefault(w, float(row["value"]))
        elif kind == "multiplier":
            for w in _with_accusative(key):
                lex.multipliers.setdefault(w, int(row["value"]))
        else:
            toks = tuple(key.split())
            lex.phrases[toks] = _Phrase(kind, _int(row["low"]), _int(row["high"]), _int(row["best"]), row["qualifier"])
            lex.max_len = max(lex.max_len, len(toks))
    for toks, p in lex.phrases.items():
        lex.first_types[toks[0]] = lex.first_types.get(toks[0], frozenset()) | {p.type}
    return lex


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: str
    pos: str  # verb|event|victim|after
    count: str  # 1|2|pl|''
    split: tuple[str, ...]


VERB_ENDINGS = frozenset({"ت", "وا", "ا", "تا", "ن", "ه", "ها", "هم", "هما", "وه", "تهم", "تها", "ته", "تم", "ون", "وهم"})


@cache
def kind_matchers() -> tuple[PhraseMatcher[_Kind], ...]:
    """One matcher per allowed-endings class (verb endings, pronoun endings, exact word)."""
    groups: dict[str, list[tuple[str, _Kind]]] = {"verb": [], "noun": [], "none": []}
    for row in _rows("figure_kinds.tsv"):
        split = tuple(s for s in row["split"].split("+") if s)
        kind = _Kind(row["kind"], row["pos"], row["count"], split)
        phrases = [row["phrase"]]
        if row["pos"] == "victim" and row["count"] in ("1", "") and " " not in row["phrase"]:
            phrases = _with_accusative(normalize_key(row["phrase"]))  # "معتقلا", "لاجئا"
        groups[row["endings"] or "none"].extend((p, kind) for p in phrases)
    return (
        PhraseMatcher(groups["verb"], suffixes=VERB_ENDINGS),
        PhraseMatcher(groups["noun"], suffixes=PRONOUN_SUFFIXES),
        PhraseMatcher(groups["none"]),
    )


@dataclass(frozen=True, slots=True)
class _Group:
    group: str  # '-' = not people
    count: str


@cache
def group_matchers() -> tuple[PhraseMatcher[_Group], PhraseMatcher[_Group]]:
    """Plural nouns may carry a pronoun ("عناصره"); singular and dual ones only the accusative alif."""
    plural: list[tuple[str, _Group]] = []
    other: list[tuple[str, _Group]] = []
    for row in _rows("victim_groups.tsv"):
        g = _Group(row["group"], row["count"])
        if row["count"] == "1" or row["group"] in NOT_PEOPLE:
            other.extend((w, g) for w in _with_accusative(normalize_key(row["word"])))
        elif row["count"] == "2":
            other.append((row["word"], g))
        else:
            plural.append((row["word"], g))
    return PhraseMatcher(plural, suffixes=PRONOUN_SUFFIXES), PhraseMatcher(other)


# ---------------------------------------------------------------------------------------- tokenising

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]")
CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
CLITIC_FIRST = frozenset(c[0] for c in CLITICS)
OTHERS = frozenset(normalize_key(w) for w in "آخرون آخرين آخر آخرا آخران آخرين أخرى أخريات اخري".split())
SUBSET_MARKERS = frozenset({"بينهم", "منهم", "بينهن", "منهن", "هم", "بينهما", "وبينهم", "ومنهم"})
NEGATIONS = frozenset({"لم", "ولم", "لن", "دون", "بدون", "عدم", "وعدم", "لا", "ولا", "الشروع", "محاوله", "لمحاوله"})
GAP_PREPOSITIONS = frozenset({"علي", "عن", "الي", "ضد"})
QUOTES = frozenset("\"'«»")
# words that introduce a toll given without a number: "موقعة قتلى", "سقوط قتلى وجرحى", "أسفر عن خسائر بشرية"
RESULT_WORDS = frozenset(normalize_key(w) for w in (
    "سقوط سقط سقطوا يسقط وقوع وقع أوقع أوقعت موقعة موقعا خلف خلفت مخلفة أسفر أسفرت عن إلى إيقاع وأوقع"
    " تسبب تسببت أدى أدت هناك بين").split())
RELEASE_WORDS = frozenset(normalize_key(w) for w in "سراح الإفراج أفرج أفرجت الافراج".split())
AGENT_WORDS = frozenset({"يد", "ايدي", "برصاص", "برصاصه", "بنيران", "بايدي"})
CLAUSE_OPENERS = frozenset({"ان", "بان", "لان", "وان", "فان", "كما", "وقد", "فقد", "حيث", "بينما", "فيما", "ثم"})
NOT_PEOPLE = frozenset({"-", "place"})
ANY_WORDS = frozenset({"اي", "كل", "لاي", "باي"})
ADJECTIVE_NUMBERS = frozenset({"واحد", "واحده", "واحدا"})
BEFORE_REJECT = frozenset(normalize_key(w) for w in (
    "اللواء الفرقة الكتيبة عام العام سنة السنة رقم الرقم القرار المادة الساعة الطريق الدورة الجولة المرحلة الصفحة"
    " الفصل البند الطائرة الرحلة قرار لواء كتيبة فرقة مادة ال عيار").split())
VICTIM_STOP = frozenset(normalize_key(w) for w in (
    "في خلال جراء بسبب اثر إثر يوم اليوم أمس مساء صباح فجر ليلة على عند بعد قبل منذ حين بينما فيما الذي التي"
    " الذين بين وسط قرب بالقرب إلى الى حسب بحسب وفق وذلك بينهم منهم").split())
VICTIM_IN_HEADS = frozenset(normalize_key(w) for w in "جيش الجيش صفوف قوات القوات".split())
COUNT_NOUN_BEFORE = frozenset(normalize_key(w) for w in "عدد حصيلة أعداد وعدد بعدد ارتفاع".split())
ARMED = frozenset({"soldiers", "militants", "militia", "police", "commanders"})


class _Tok(NamedTuple):
    """A token; a named tuple with `word` stored, as texts have thousands and every rule reads them."""

    start: int
    end: int
    text: str
    word: bool  # starts with a letter or digit (not punctuation)


# C-level helpers for `_tokens` and `_scan`: map() with these runs no Python bytecode per token
_new_tok = partial(tuple.__new__, _Tok)  # skips NamedTuple's Python-level __new__
_first_char = itemgetter(0)
_tok_start = itemgetter(0)
_tok_end = itemgetter(1)
_tok_text = itemgetter(2)


def _tokens(norm: str) -> list[_Tok]:
    """The tokens of a text. Built with map/zip over the regex matches rather than a comprehension:
    texts have thousands of tokens and this runs once per text, a fifth of the figure stage."""
    ms = list(_TOKEN.finditer(norm))
    texts = list(map(re.Match.group, ms))
    words = map(str.isalnum, map(_first_char, texts))
    return list(map(_new_tok, zip(map(re.Match.start, ms), map(re.Match.end, ms), texts, words, strict=True)))


_OPENS_MEMO: dict[str, bool] = {}  # word -> `_may_open_count(word)`, filled as words come
_OPENS_MEMO_SIZE = 200_000  # distinct words kept (a long corpus run clears it and starts again)


def _opening_tokens(texts: list[str]) -> set[int]:
    """Indices of the tokens that may open a count: known words come from the memo at C speed (this
    runs over every token of every text); only words never seen before go through `_may_open_count`."""
    return set(compress(_counter(), lookup_all(_OPENS_MEMO, texts, _may_open_count, _OPENS_MEMO_SIZE)))


def _may_open_count(word: str) -> bool:
    """False when no count can start at this word (most words), so `_quantity_at` is not asked:
    not a digit, a number word, a qualifier or vague phrase, nor بين/من/ما of a range. (_unclitic with
    the article gives every form `_quantity_at` looks up, so a word with none of them opens nothing.)"""
    if not word[0].isalnum():
        return False  # punctuation (`_Tok.word` is false): lets `_scan` ask about every token
    if word[0].isdigit():
        return True
    openers = _openers()
    return any(f in openers for f in _unclitic(word, article=True))  # a superset of what can open one


@cache
def _openers() -> frozenset[str]:
    """Every word form a count can start with: phrase first words, number words, بين/من/ما."""
    lex = number_lexicon()
    return frozenset(lex.first_types) | frozenset(lex.numbers) | frozenset(lex.multipliers) | {"بين", "من", "ما"}


@lru_cache(maxsize=65536)
def _unclitic(word: str, article: bool = False) -> tuple[str, ...]:
    """The word and its forms without a proclitic chain (and without the article when allowed).

    Cached: the same few thousand words come back at every token of every text.
    """
    out = [word]
    if word[:1] in CLITIC_FIRST:  # most words open with no clitic letter at all
        for c in CLITICS:
            if word.startswith(c) and len(word) - len(c) >= 2:
                out.append(word[len(c):])
    if article:
        for w in list(out):
            for art in ("ال", "لل"):
                if w.startswith(art) and len(w) - len(art) >= 2:
                    out.append(w[len(art):])
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Hit:
    ts: int  # token range [ts, te)
    te: int
    start: int  # normalised offsets of the phrase
    end: int
    kind: _Kind | None = None
    group: _Group | None = None
    definite: bool = False


@cache
def _all_matchers() -> MatcherSet:
    """The kind and group matchers in one automaton: one pass over each text instead of five."""
    return MatcherSet(kind_matchers() + group_matchers())


def _hits(norm: str, toks: list[_Tok], matches: list[list[Match]], is_kind: bool,
          starts: list[int], ends: list[int]) -> list[_Hit]:
    """Token-aligned hits of some matchers (`matches`: each one's find_all), the longest at each place."""
    found: list[_Hit] = []
    for hits in matches:
        for m in longest_first(hits):  # = that matcher's find()
            ts = bisect_right(starts, m.start) - 1
            te = bisect_left(ends, m.end) + 1
            if ts < 0 or te > len(toks):
                continue
            prefix = norm[toks[ts].start:m.start]
            definite = prefix.endswith(("ال", "لل")) or m.key.startswith("ال") \
                or (prefix.endswith("ل") and m.key.startswith("ل"))  # للاجئين = ل + ال + لاجئين
            payload = m.payloads[0]
            found.append(_Hit(ts, te, m.start, m.end, kind=payload if is_kind else None,
                              group=None if is_kind else payload, definite=definite))
    # several matchers may overlap: keep the longest at each place
    return longest_first(found)


# ---------------------------------------------------------------------------------------- quantities


@dataclass
class _Q:
    ts: int
    te: int
    low: int | None
    high: int | None
    best: int
    qualifier: str
    src: str  # num|vague|unq|dual|single|noun_unq
    noun: _Hit | None = None  # the victim/group noun that is itself the count (قتيلين، جنديين)


BEFORE_TYPES = frozenset({"before"})
AFTER_TYPES = frozenset({"after"})
VAGUE_TYPES = frozenset({"vague", "unquantified"})


@lru_cache(maxsize=65536)
def _phrase_firsts(word: str, types: frozenset[str]) -> tuple[str, ...]:
    """The forms of `word` (clitics stripped) that open some phrase of `types`: most words open none,
    so `_phrase_at` can stop at once."""
    first_types = number_lexicon().first_types
    return tuple(f for f in _unclitic(word, article=True) if f in first_types and first_types[f] & types)


def _phrase_at(toks: list[_Tok], i: int, types: frozenset[str]) -> tuple[int, _Phrase] | None:
    """Longest lexicon phrase of the given types starting at token i (first token may carry clitics)."""
    if i >= len(toks) or not toks[i].word:
        return None
    firsts = _phrase_firsts(toks[i].text, types)
    if not firsts:
        return None
    lex = number_lexicon()
    for length in range(min(lex.max_len, len(toks) - i), 0, -1):
        rest = tuple(t.text for t in toks[i + 1:i + length])
        for first in firsts:
            p = lex.phrases.get((first, *rest))
            if p is not None and p.type in types:
                return i + length, p
    return None


@lru_cache(maxsize=65536)
def _number_word(word: str, clitics: bool) -> tuple[str, float] | None:
    """('n', value) for a number word, ('m', value) for a multiplier; never with the article, nor after
    the prepositions ب/ك ("باحد السجون" is "in one of the prisons")."""
    lex = number_lexicon()
    forms = [w for w in _unclitic(word) if not word[:len(word) - len(w)].endswith(("ب", "ك"))] if clitics else [word]
    for w in forms:
        if w in lex.numbers:
            return "n", lex.numbers[w]
        if w in lex.multipliers:
            return "m", lex.multipliers[w]
    return None


def _digits_value(text: str, next_is_multiplier: bool) -> float | None:
    """The value of a digit string, or None for what is not a count (decimals, phone numbers, ids)."""
    if len(text) > 9:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return int(text.replace(",", ""))
    if next_is_multiplier and re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return int(text.replace(".", ""))
    return None


def _core(toks: list[_Tok], i: int) -> tuple[int, int | None, int | None, int, str, str] | None:
    """A bare count at token i: (end, low, high, best, qualifier, src)."""
    if i >= len(toks):
        return None
    t = toks[i]
    if t.text[0].isdigit():
        nxt = _number_word(toks[i + 1].text, False) if i + 1 < len(toks) else None
        mult = nxt[1] if nxt and nxt[0] == "m" else None
        value = _digits_value(t.text, mult is not None)
        if value is None:
            return None
        end = i + 1
        if mult:
            value, end = value * mult, i + 2
        v = int(round(value))
        return end, v, v, v, "exact", "num"
    vague = _phrase_at(toks, i, VAGUE_TYPES)
    first = _number_word(t.text, True)
    if vague and (first is None or first[0] == "m"):
        end, p = vague
        src = "unq" if p.type == "unquantified" else "vague"
        return end, p.low, p.high, p.best or 0, p.qualifier, src
    if first is None:
        return None
    total, cur, j, last = 0, 0, i, None
    while j < len(toks):
        w = toks[j].text
        nw = _number_word(w, True) if j == i else _number_word(w, False)
        if j > i:
            if nw is None or (nw[0] == "n" and not ((nw[1] == 10 and 0 < cur < 10) or (nw[1] == 100 and 0 < cur < 10))):
                # a new number joined with و: "مئتين وخمسين", "خمسة وعشرين"
                if w.startswith("و") and len(w) > 2 and (cw := _number_word(w[1:], False)) and cw[0] == "n" \
                        and last is not None and _magnitude(cw[1]) != _magnitude(last):
                    nw = cw
                else:
                    break
        kind, value = nw
        if kind == "m":
            cur = (cur or 1) * value
            total += cur
            cur = 0
        elif value == 100 and 0 < cur < 10 and j > i:
            cur *= 100
        else:
            cur += value
        last = value
        j += 1
    v = total + cur
    if v != int(v) or v == 0:
        return None  # "نصف" alone is a half, not a count
    v = int(v)
    return j, v, v, v, "exact", "num"


def _magnitude(v: float) -> int:
    return len(str(int(v)))


def _quantity_at(toks: list[_Tok], i: int) -> _Q | None:
    """A count starting at token i, with a qualifier or range around it."""
    before = _phrase_at(toks, i, BEFORE_TYPES)
    if before:
        end, p = before
        core = _core(toks, end)
        if core is None:
            return None
        ce, low, high, best, qual, src = core
        if src == "num":
            if p.qualifier == "at_least":
                return _Q(i, ce, best, None, best, "at_least", src)
            if p.qualifier == "at_most":
                return _Q(i, ce, None, best, best, "at_most", src)
            return _Q(i, ce, low, high, best, p.qualifier, src)
        return _Q(i, ce, low, high, best, qual, src)
    forms = _unclitic(toks[i].text)
    if any(f in ("بين", "من", "ما") for f in forms) and not toks[i].text.startswith(("ال",)):
        is_between = "بين" in forms
        k = i + 1
        if "ما" in forms and k < len(toks) and toks[k].text == "بين":
            k, is_between = k + 1, True
        a = _core(toks, k)
        if a and a[5] == "num" and a[0] < len(toks):
            m = a[0]
            sep = toks[m].text
            b = None
            if is_between and sep == "و":
                b = _core(toks, m + 1)
            elif is_between and sep.startswith("و") and _number_word(sep[1:], False):
                b = _core(toks, m)  # "بين عشرة وعشرين": the conjunction is glued on
            elif sep in ("الي", "حتي"):
                b = _core(toks, m + 1)
            if b and b[5] == "num" and b[3] > a[3]:
                return _Q(i, b[0], a[3], b[3], a[3], "approx", "num")
    core = _core(toks, i)
    if core is None:
        return None
    ce, low, high, best, qual, src = core
    return _Q(i, ce, low, high, best, qual, src)


def _after_qualifier(toks: list[_Tok], j: int) -> tuple[int, str] | None:
    hit = _phrase_at(toks, j, AFTER_TYPES)
    if hit:
        return hit[0], hit[1].qualifier
    return None


def _apply_after(q: _Q, qual: str) -> None:
    if q.src not in ("num", "dual", "single") or q.qualifier not in ("exact", "approx"):
        return
    if qual == "at_least":
        q.low, q.high, q.qualifier = q.best, None, "at_least"
    elif qual == "at_most":
        q.low, q.high, q.qualifier = None, q.best, "at_most"
    else:
        q.qualifier = qual


def _scan(norm: str, matches: list[list[Match]] | None = None) -> tuple[list[_Tok], list[_Q], list[_Hit], list[_Hit]]:
    """Tokens, the counts, the kind-word hits and the group-noun hits of a text (`matches`: the
    text's `_all_matchers().find_all`, when the caller has it)."""
    toks = _tokens(norm)
    starts = list(map(_tok_start, toks))
    ends = list(map(_tok_end, toks))
    if matches is None:
        matches = _all_matchers().find_all(norm)
    n_kind = len(kind_matchers())
    kinds = _hits(norm, toks, matches[:n_kind], True, starts, ends)
    groups = _hits(norm, toks, matches[n_kind:], False, starts, ends)
    kind_at = {h.ts: h for h in kinds}
    group_at = {h.ts: h for h in groups}
    qs: list[_Q] = []
    # only these tokens can start a count or a counting noun; the loop jumps from one to the next
    opens = _opening_tokens(list(map(_tok_text, toks)))
    cands = sorted(opens | kind_at.keys() | group_at.keys())
    ci, nc = 0, len(cands)
    i = 0
    while i < len(toks):
        while ci < nc and cands[ci] < i:
            ci += 1
        if ci == nc:
            break
        i = cands[ci]
        q = _quantity_at(toks, i) if i in opens else None
        if q is not None:
            qs.append(q)
            i = q.te
            # skip the noun the number counts, so it is not read as a count of its own
            for at in (kind_at, group_at):
                h = at.get(i)
                if h is not None:
                    i = h.te
            continue
        noun = kind_at.get(i) or group_at.get(i)
        if noun is not None and i > 0 and toks[i - 1].text[0].isdigit():
            i = noun.te  # the noun of a number that was not read ("99999999999 قتيلا")
            continue
        if noun is not None:
            count = (noun.kind.count if noun.kind else noun.group.count) if (noun.kind or noun.group) else ""
            is_victim = noun.kind is not None and noun.kind.pos == "victim"
            if count == "2" and (noun.group is None or noun.group.group not in NOT_PEOPLE):
                qs.append(_Q(noun.ts, noun.te, 2, 2, 2, "exact", "dual", noun))
            elif is_victim and count == "1" and not noun.definite:
                qs.append(_Q(noun.ts, noun.te, 1, 1, 1, "exact", "single", noun))
            elif is_victim and count == "pl":
                qs.append(_Q(noun.ts, noun.te, 1, None, 3, "unquantified", "noun_unq", noun))
            elif noun.group is not None and count == "1" and noun.group.group not in NOT_PEOPLE:
                qs.append(_Q(noun.ts, noun.te, 1, 1, 1, "exact", "group1", noun))
            i = noun.te
            continue
        i += 1
    return toks, qs, kinds, groups


def find_quantities(norm: str) -> list[Quantity]:
    """Every count in the normalised text (numbers, number words, duals, vague and unquantified words)."""
    toks, qs, _, _ = _scan(norm)
    out: list[Quantity] = []
    for q in qs:
        if q.src == "group1":
            continue  # a singular noun counts one only next to a kind word (find_figures decides)
        if _rejected(toks, q, None):
            continue
        te = q.te
        after = _after_qualifier(toks, te)
        if after is None and te < len(toks) and toks[te].word:
            after = _after_qualifier(toks, te + 1)
        if after is not None:
            _apply_after(q, after[1])
            te = after[0]
        out.append(Quantity(toks[q.ts].start, toks[te - 1].end, q.low, q.high, q.best, q.qualifier))
    return out


def _rejected(toks: list[_Tok], q: _Q, group_at: dict[int, _Hit] | None) -> bool:
    """Numbers that are not counts of people: years, dates, brigade numbers, decimals."""
    if q.src != "num":
        return False
    p = q.ts - 1
    while p > 0 and toks[p].text in "()[]\"'«»":
        p -= 1
    prev = toks[p].text if p >= 0 else ""
    nxt = toks[q.te].text if q.te < len(toks) else ""
    if prev in ("/", "-", ".") and q.ts > 1 and toks[q.ts - 2].text[0].isdigit():
        return True
    if nxt in ("/", "%", "٪") or (nxt == "-" and q.te + 1 < len(toks) and toks[q.te + 1].text[0].isdigit()):
        return True
    if any(f in BEFORE_REJECT for f in _unclitic(prev)):
        return True
    t = toks[q.ts].text
    if t.isdigit() and 1900 <= int(t) <= 2100 and q.te == q.ts + 1:
        has_noun = group_at is not None and q.te in group_at and group_at[q.te].group.group not in NOT_PEOPLE
        if not has_noun:
            return True
    return False


# ------------------------------------------------------------------------------------------- figures


@dataclass
class _Fig:
    q: _Q
    ts: int
    te: int
    kind: str
    group: str
    trigger: _Hit | None
    victim: tuple[int, int] | None
    sent: int


def _sentence_ids(norm: str, toks: list[_Tok]) -> list[int]:
    """The sentence of every token: the last sentence starting at or before it (0 before the first).

    One C-level bisect per token: with the first sentence start left out, bisect_right counts the
    sentences after the first that start at or before the token, which is that index."""
    later_starts = [s.start for s in sentence_spans(norm)[1:]]
    return list(map(bisect_right, repeat(later_starts), map(_tok_start, toks)))


def _negated(toks: list[_Tok], hit: _Hit, window: int = 2) -> bool:
    for k in range(max(0, hit.ts - window), hit.ts):
        if toks[k].text in NEGATIONS:
            return True
    return False


@dataclass
class _NounPhrase:
    """What follows a count: the victims' noun, "آخرون", a qualifier, "من ..." (the victims' side)."""

    end: int  # token index after the phrase
    group: str = "unknown"
    victim_noun: _Hit | None = None  # a noun that names the victims and their fate: "43 قتيلا"
    other: bool = False  # "80 آخرون": the group of the figure before
    named: bool = False  # a noun for people follows ("جنود", "أشخاص", "قتلى")
    victim: tuple[int, int] | None = None  # "من قوات الجيش اليمني"


class _FigureReader:
    """Reads the figures of one text: counts, their noun phrases and the kind words they attach to."""

    def __init__(self, norm: str, matches: list[list[Match]] | None = None) -> None:
        self.toks, self.qs, self.kinds, self.groups = _scan(norm, matches)
        self.sent = _sentence_ids(norm, self.toks) if self.toks else []
        self.kind_at = {h.ts: h for h in self.kinds}
        self.group_at = {h.ts: h for h in self.groups}
        self.q_tokens = {k for q in self.qs if q.src not in ("group1", "noun_unq") for k in range(q.ts, q.te)}
        self.used: set[int] = set()  # kind hits (by first token) that a count took
        self.in_np: set[int] = set()  # tokens inside some figure's noun phrase
        self.figs: list[_Fig] = []

    # -- helpers ------------------------------------------------------------------------------------
    def words_between(self, a: int, b: int) -> int:
        return sum(1 for t in self.toks[a:b] if t.word and t.text not in GAP_PREPOSITIONS)

    def clean_gap(self, a: int, b: int, allow_punct: bool) -> bool:
        """No other count, no sentence end (and, unless allowed, no punctuation) between a and b."""
        for k in range(a, b):
            if k in self.q_tokens or self.sent[k] != self.sent[max(a - 1, 0)]:
                return False
            if not allow_punct and not self.toks[k].word and self.toks[k].text not in QUOTES:
                return False
        return True

    def is_adjective(self, j: int) -> bool:
        """A word after the victims' noun that only describes them ("اسلاميا", "اجانب", "سوريا")."""
        if j >= len(self.toks) or j in self.kind_at or j in self.group_at:
            return False
        t = self.toks[j].text
        return (self.toks[j].word and not t[0].isdigit() and t not in VICTIM_STOP and t not in OTHERS
                and _unclitic(t)[-1] not in VICTIM_STOP and t not in ("من", "في")
                and t.endswith(("ا", "ين", "ون", "ي", "ه", "ان")) and not t.startswith(("و", "ف", "ي", "ت", "ن"))
                and _after_qualifier(self.toks, j) is None)

    # -- the noun phrase ----------------------------------------------------------------------------
    def noun_phrase(self, q: _Q) -> _NounPhrase | None:
        """The phrase after count q, or None when it counts things, not people ("20 غارة")."""
        toks, j = self.toks, q.te
        np = _NounPhrase(j)
        if q.noun is not None:
            if q.noun.kind is not None and q.noun.kind.pos == "victim":
                np.victim_noun = q.noun
            elif q.noun.group is not None:
                np.group = q.noun.group.group
            np.named = True
        else:
            for step in range(2):
                if j + 1 < len(toks) and toks[j].text in QUOTES and ((j + 1) in self.group_at or (j + 1) in self.kind_at):
                    j += 1
                h = self.kind_at.get(j)
                g = self.group_at.get(j)
                hit = h or g
                if step and hit is not None and hit.start > toks[j].start and toks[j].text.startswith("و"):
                    break  # "26 شخصا والمصابين 28": a new item, not this count's noun
                if h is not None and h.kind.pos == "victim" and np.victim_noun is None:
                    np.victim_noun, j, np.named = h, h.te, True
                    continue
                if g is not None and np.group == "unknown":
                    if g.group.group in NOT_PEOPLE:
                        return None
                    np.group, j, np.named = g.group.group, g.te, True
                    continue
                break
        if np.named and (g2 := self.group_at.get(j)) is not None and g2.group.group not in NOT_PEOPLE \
                and g2.start == toks[j].start and g2.group.count != "pl":
            j = g2.te  # "رجلا مسنا", "شخصين مدنيين": a second noun describing the same people
        elif np.named and self.is_adjective(j):
            j += 1
        if j < len(toks) and toks[j].text in OTHERS:
            np.other, j = True, j + 1
        after = _after_qualifier(toks, j)
        if after is not None:
            _apply_after(q, after[1])
            j = after[0]
        named = np.named
        if j < len(toks) and (toks[j].text == "من" or (toks[j].text == "في" and j + 1 < len(toks)
                                                          and toks[j + 1].text in VICTIM_IN_HEADS)):
            nxt = self.group_at.get(j + 1)
            if nxt is not None and nxt.group.group in NOT_PEOPLE and nxt.group.group != "place" and not named:
                return None  # "عدد من المتاجر"
            k = self.victim_end(j) if nxt is None or nxt.group.group != "place" else j + 1
            if k > j + 1:
                np.victim = (j, k)
                if np.group == "unknown":
                    np.group = next((g.group.group for g in self.groups if j < g.ts < k and g.group.group not in NOT_PEOPLE),
                                    "unknown")
                j = k
        elif q.src in ("num", "vague") and not named and (g := self.group_at.get(j)) is not None \
                and g.group.group in NOT_PEOPLE:
            return None
        if q.src == "vague" and q.best <= 3 and not named and np.victim is None:
            return None  # "اتجاهات عدة", "بعض حلفائه": a few of something, not of people
        np.end = j
        return np

    def victim_end(self, j: int) -> int:
        """End of the victims' side after "من"/"في" at token j: a few words, up to a stop word."""
        toks, k = self.toks, j + 1
        while k < len(toks) and k - j <= 6 and toks[k].word and self.sent[k] == self.sent[j] \
                and k not in self.q_tokens and k not in self.kind_at and toks[k].text not in VICTIM_STOP:
            t = toks[k].text
            if k > j + 1 and (t == "من" or (t.startswith("و") and (k in self.group_at or _number_word(t, True)))):
                break
            k += 1
        return k

    # -- the kind -----------------------------------------------------------------------------------
    def kind_before(self, q: _Q) -> _Hit | None:
        """A kind word shortly before the count: "قُتل نحو 40", "مقتل 50", "عدد القتلى بلغ 37"."""
        s = self.sent[q.ts]
        for h in reversed(self.kinds):
            if h.te > q.ts:
                continue
            if self.sent[h.ts] != s or h.kind.pos == "after":
                return None
            gap = self.words_between(h.te, q.ts)
            if q.src == "group1" and (gap > 2 or (q.noun is not None and q.noun.definite and gap > 0)):
                return None
            if gap > 3 or not self.clean_gap(h.te, q.ts, False) or _negated(self.toks, h):
                return None
            if any(t.text in AGENT_WORDS for t in self.toks[h.te:q.ts]):
                return None  # "قتل الضابط على يد أحد المتهمين": these are the killers
            among = h.ts > 0 and self.toks[h.ts - 1].text == "بين"  # "من بين المصابين العقيد ..."
            if h.kind.pos == "victim" and (h.kind.count != "pl" or h.ts in self.in_np or (q.src == "group1" and not among)):
                return None  # "وزير شؤون الأسرى الفلسطيني": a single noun after a victim noun is no count
            return h
        return None

    def kind_after(self, q: _Q, np_end: int) -> _Hit | None:
        """A kind word after the victims: "سبعة جنود قتلوا", "لقي اربعة حوثيين مصرعهم"."""
        s = self.sent[q.ts]
        if q.src == "group1" and (q.noun is not None and q.noun.definite or not self.opens_clause(q.ts)):
            return None  # "صراع مسلح قتل فيه": the singular noun describes a thing
        for h in self.kinds:
            if h.ts < np_end:
                continue
            if self.sent[h.ts] != s or h.kind.pos not in ("verb", "after"):
                return None
            if h.kind.pos == "verb" and (h.definite or (_unclitic(self.toks[h.ts].text)[-1] != self.toks[h.ts].text
                                                          and not self.toks[h.ts].text.startswith(("و", "ف")))):
                return None  # "بقتل": a verbal noun with a preposition, not the verb of these people
            gap = self.words_between(np_end, h.ts)
            limit = 2 if q.src == "group1" else (12 if h.kind.pos == "after" else 6)
            return h if gap <= limit and self.clean_gap(np_end, h.ts, True) else None
        return None

    def skip(self, q: _Q) -> bool:
        """Counts that cannot be figures whatever their context."""
        toks = self.toks
        if q.src == "noun_unq" or q.ts in self.in_np or any(q.ts <= f.ts < q.te for f in self.figs):
            return True
        before = self.kind_at.get(q.ts - 1) if q.ts > 0 else None
        if q.src == "num" and any(f in RELEASE_WORDS for t in toks[max(0, q.ts - 3):q.ts] for f in _unclitic(t.text)):
            return True  # "أطلق سراح 50 معتقلا": people set free are no new arrest
        if q.src == "num" and toks[q.ts].text in ADJECTIVE_NUMBERS and q.te == q.ts + 1 and q.ts > 0 \
                and toks[q.ts - 1].word and (before is None or before.kind.pos == "victim"):
            return True  # "عائلة واحدة": the number is an adjective
        if q.src == "group1" and (g0 := self.group_at.get(q.ts - 1)) is not None and g0.group.group in NOT_PEOPLE:
            return True  # "طائرة مدنية": an adjective of a thing
        if q.src == "group1" and q.ts > 0 and toks[q.ts - 1].text in ANY_WORDS:
            return True  # "أي شخص": nobody in particular
        return _rejected(toks, q, self.group_at)

    # -- the figure ---------------------------------------------------------------------------------
    def read(self, q: _Q) -> _Fig | None:
        if self.skip(q):
            return None
        np = self.noun_phrase(q)
        if np is None:
            return None
        s = self.sent[q.ts]
        prev_fig = self.figs[-1] if self.figs and self.figs[-1].sent == s else None
        subset = q.ts > 0 and self.toks[q.ts - 1].text in SUBSET_MARKERS
        kind_hit: _Hit | None = None
        kind = ""
        if np.victim_noun is not None:
            kind_hit, kind = np.victim_noun, np.victim_noun.kind.kind
        elif subset and prev_fig is not None:
            kind = prev_fig.kind  # "بينهم امرأة"
        if not kind and (kind_hit := self.kind_before(q) or self.kind_after(q, np.end)) is not None:
            kind = kind_hit.kind.kind
        if not kind and prev_fig is not None and not subset and (
                (q.src in ("num", "vague") and self.continues_list(q, prev_fig)) or (q.src == "group1" and np.other)):
            kind = prev_fig.kind  # "19 قتيلاً في حلب، و12 في دمشق", "وشخص آخر"
        if not kind or (q.src == "group1" and not (kind_hit is not None or subset or np.other)):
            return None
        group = np.group
        if np.other and group == "unknown":
            group = next((f.group for f in reversed(self.figs) if f.group != "unknown" and f.sent >= s - 1), group)
        if kind == "displaced" and group in ARMED:
            kind = "combatants"  # fighters who flee are a force on the move, not displaced people
        if kind == "combatants" and group not in ARMED:
            return None
        if kind == "displaced" and group == "unknown" and q.src == "num":
            group = "civilians"
        if kind_hit is not None:
            self.used.add(kind_hit.ts)
        self.in_np.update(range(q.ts, np.end))
        start_tok = q.ts
        if kind_hit is not None and kind_hit.te <= q.ts and group == "unknown" and q.src in ("vague", "group1"):
            start_tok = kind_hit.ts  # "قتلت العشرات"
        return _Fig(q, start_tok, np.end, kind, group, kind_hit, np.victim, s)

    def each_of(self, fig: _Fig) -> int:
        """How many places share this count: "وقتيل في كل من الرقة وحماه وحمص" gives one per town."""
        toks, j = self.toks, fig.te
        if [t.text for t in toks[j:j + 3]] != ["في", "كل", "من"]:
            return 1
        n, k = 1, j + 3
        while k < len(toks) and toks[k].word and self.sent[k] == fig.sent:
            if toks[k].text.startswith("و") and k > j + 3:
                n += 1
            k += 1
        return min(n, 20)

    def opens_clause(self, k: int) -> bool:
        """Token k starts a clause (sentence start, after punctuation or "أن/إن"): a subject may stand here."""
        if k == 0 or self.sent[k - 1] != self.sent[k] or not self.toks[k - 1].word:
            return True
        return self.toks[k - 1].text in CLAUSE_OPENERS

    def continues_list(self, q: _Q, prev: _Fig) -> bool:
        glued = self.toks[q.ts].text.startswith("و") or (q.ts > 0 and self.toks[q.ts - 1].text == "و")
        return glued and q.ts - prev.te <= 5

    def unquantified(self) -> list[FigureMention]:
        """Deaths or injuries said without a number: "موقعةً قتلى", "سقوط قتلى وجرحى", "قتل المحتجين"."""
        toks, out = self.toks, []
        for h in self.kinds:
            if h.ts in self.used or h.ts in self.in_np or _negated(toks, h, 4):
                continue
            k = h.kind
            prev = toks[h.ts - 1].text if h.ts > 0 else ""
            if any(f in COUNT_NOUN_BEFORE for f in _unclitic(prev)):
                continue  # "عدد القتلى": the number is elsewhere
            group, end = "unknown", h.end
            if k.pos == "victim" and k.count == "pl":
                if k.kind not in ("killed", "injured", "casualties"):
                    continue  # "أسرى", "معتقلين" alone are rarely a new toll (and "اسري" is also "family")
                if h.definite:
                    continue  # "الجرحى", "المفوضية العليا للاجئين": people already counted, or a name
                if h.te < len(toks) and toks[h.te].text.startswith("ال"):
                    continue  # construct state, "شهداء الشرطة": a category, not deaths in this event
                before = {f for t in toks[max(0, h.ts - 2):h.ts] for f in _unclitic(t.text)}
                after = _unclitic(toks[h.te].text) if h.te < len(toks) else []
                if not (before & RESULT_WORDS) and not any(a.startswith("سقط") for a in after):
                    continue  # "تعويضات لضحايا لوكربي": victims named as a category, not a toll
            elif k.pos in ("verb", "event") and k.kind == "killed":
                g = self.group_at.get(h.te)
                if g is None or not g.definite or g.group.count != "pl" or g.group.group in NOT_PEOPLE:
                    continue
                group, end = g.group.group, g.end
            else:
                continue
            vs = ve = None
            j = bisect_left([t.start for t in toks], end)
            if j < len(toks) and (toks[j].text == "من" or (toks[j].text == "في" and j + 1 < len(toks)
                                                              and toks[j + 1].text in VICTIM_IN_HEADS)):
                g = self.group_at.get(j + 1)
                if g is None or g.group.group != "place":
                    k_end = self.victim_end(j)
                    if k_end > j + 1:
                        vs, ve = toks[j].start, toks[k_end - 1].end
                        if group == "unknown":
                            group = next((x.group.group for x in self.groups if j < x.ts < k_end
                                          and x.group.group not in NOT_PEOPLE), "unknown")
            for kind in (k.split or (k.kind,)):
                out.append(FigureMention(h.start, end, kind, 1, None, 3, "unquantified", group,
                                         victim_text_start=vs, victim_text_end=ve,
                                         trigger_start=h.start, trigger_end=h.end))
        return out


def find_figures(norm: str) -> list[FigureMention]:
    """Figures about people (killed, injured, displaced ...) with their count, kind and victims' group."""
    matches = _all_matchers().find_all(norm)
    if not any(matches[:len(kind_matchers())]):
        return []  # every figure needs a kind word (its own, one near it, or the figure's before it)
    reader = _FigureReader(norm, matches)
    if not reader.toks:
        return []
    for q in reader.qs:
        fig = reader.read(q)
        if fig is not None:
            reader.figs.extend([fig] * reader.each_of(fig))
    out = [_mention(reader.toks, f) for f in reader.figs]
    out.extend(reader.unquantified())
    out.sort(key=lambda m: (m.start, m.kind))
    return out


def _mention(toks: list[_Tok], f: _Fig) -> FigureMention:
    q = f.q
    trig = f.trigger
    vs = ve = None
    if f.victim is not None:
        vs, ve = toks[f.victim[0]].start, toks[f.victim[1] - 1].end
    start = trig.start if trig is not None and trig.ts == f.ts else toks[f.ts].start  # no "و" of "وشردت"
    return FigureMention(
        start=start, end=toks[f.te - 1].end, kind=f.kind, low=q.low, high=q.high, best=q.best,
        qualifier=q.qualifier, group=f.group, victim_text_start=vs, victim_text_end=ve,
        trigger_start=trig.start if trig else None, trigger_end=trig.end if trig else None)
