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
from functools import cache
from pathlib import Path

from rasd.text.matcher import PRONOUN_SUFFIXES, PhraseMatcher
from rasd.text.normalize import normalize_key
from rasd.text.segment import split_sentences

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
    numbers: dict[str, int] = field(default_factory=dict)
    multipliers: dict[str, int] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], _Phrase] = field(default_factory=dict)
    max_len: int = 1


def _with_accusative(word: str) -> list[str]:
    """A word and its accusative spelling with alif (ألف -> ألفا), the usual tanween written form."""
    return [word] if word.endswith(("ا", "ه", "ي", "ن")) else [word, word + "ا"]


@cache
def number_lexicon() -> _NumberLex:
    lex = _NumberLex()
    for row in _rows("number_words.tsv"):
        key = normalize_key(row["word"])
        kind = row["type"]
        if kind == "number":
            for w in _with_accusative(key):
                lex.numbers.setdefault(w, int(row["value"]))
        elif kind == "multiplier":
            for w in _with_accusative(key):
                lex.multipliers.setdefault(w, int(row["value"]))
        else:
            toks = tuple(key.split())
            lex.phrases[toks] = _Phrase(kind, _int(row["low"]), _int(row["high"]), _int(row["best"]), row["qualifier"])
            lex.max_len = max(lex.max_len, len(toks))
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
        groups[row["endings"] or "none"].append((row["phrase"], _Kind(row["kind"], row["pos"], row["count"], split)))
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
def group_matcher() -> PhraseMatcher[_Group]:
    entries = [(row["word"], _Group(row["group"], row["count"])) for row in _rows("victim_groups.tsv")]
    return PhraseMatcher(entries, suffixes=PRONOUN_SUFFIXES)


# ---------------------------------------------------------------------------------------- tokenising

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]")
CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
PUNCT_BREAK = frozenset("،,؛;:()[]!?؟.")
OTHERS = frozenset(normalize_key(w) for w in "آخرون آخرين آخر آخرا آخران آخرين أخرى أخريات اخري".split())
SUBSET_MARKERS = frozenset({"بينهم", "منهم", "بينهن", "منهن", "هم", "بينهما", "وبينهم", "ومنهم"})
NEGATIONS = frozenset({"لم", "ولم", "لن", "دون", "بدون", "عدم", "وعدم", "لا", "ولا"})
BEFORE_REJECT = frozenset(normalize_key(w) for w in (
    "اللواء الفرقة الكتيبة عام العام سنة السنة رقم القرار المادة الساعة الطريق الدورة الجولة المرحلة الصفحة"
    " الفصل البند الطائرة الرحلة قرار لواء كتيبة فرقة مادة").split())
VICTIM_STOP = frozenset(normalize_key(w) for w in (
    "في خلال جراء بسبب اثر إثر يوم اليوم أمس مساء صباح فجر ليلة على عند بعد قبل منذ حين بينما فيما الذي التي"
    " الذين بين وسط قرب بالقرب إلى الى حسب بحسب وفق وذلك بينهم منهم").split())
VICTIM_IN_HEADS = frozenset(normalize_key(w) for w in "جيش الجيش صفوف قوات القوات".split())
COUNT_NOUN_BEFORE = frozenset(normalize_key(w) for w in "عدد حصيلة أعداد وعدد بعدد ارتفاع".split())
ARMED = frozenset({"soldiers", "militants", "militia", "police", "commanders"})


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()


def _tokens(norm: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(norm)]


def _unclitic(word: str, article: bool = False) -> list[str]:
    """The word and its forms without a proclitic chain (and without the article when allowed)."""
    out = [word]
    for c in CLITICS:
        if word.startswith(c) and len(word) - len(c) >= 2:
            out.append(word[len(c):])
    if article:
        for w in list(out):
            for art in ("ال", "لل"):
                if w.startswith(art) and len(w) - len(art) >= 2:
                    out.append(w[len(art):])
    return out


@dataclass(frozen=True, slots=True)
class _Hit:
    ts: int  # token range [ts, te)
    te: int
    start: int  # normalised offsets of the phrase
    end: int
    kind: _Kind | None = None
    group: _Group | None = None
    definite: bool = False


def _hits(norm: str, toks: list[_Tok], matchers: tuple[PhraseMatcher, ...], is_kind: bool) -> list[_Hit]:
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    found: list[_Hit] = []
    for matcher in matchers:
        for m in matcher.find(norm):
            ts = bisect_right(starts, m.start) - 1
            te = bisect_left(ends, m.end) + 1
            if ts < 0 or te > len(toks):
                continue
            definite = norm[max(toks[ts].start, m.start - 2):m.start] in ("ال", "لل") or m.key.startswith("ال")
            payload = m.payloads[0]
            found.append(_Hit(ts, te, m.start, m.end, kind=payload if is_kind else None,
                              group=None if is_kind else payload, definite=definite))
    # several matchers may overlap: keep the longest at each place
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    chosen: list[_Hit] = []
    for h in found:
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


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


def _phrase_at(toks: list[_Tok], i: int, types: set[str]) -> tuple[int, _Phrase] | None:
    """Longest lexicon phrase of the given types starting at token i (first token may carry clitics)."""
    lex = number_lexicon()
    if i >= len(toks) or not toks[i].word:
        return None
    for length in range(min(lex.max_len, len(toks) - i), 0, -1):
        rest = tuple(t.text for t in toks[i + 1:i + length])
        for first in _unclitic(toks[i].text, article=True):
            p = lex.phrases.get((first, *rest))
            if p is not None and p.type in types:
                return i + length, p
    return None


def _number_word(word: str, clitics: bool) -> tuple[str, int] | None:
    """('n', value) for a number word, ('m', value) for a multiplier; never with the article."""
    lex = number_lexicon()
    for w in _unclitic(word) if clitics else [word]:
        if w in lex.numbers:
            return "n", lex.numbers[w]
        if w in lex.multipliers:
            return "m", lex.multipliers[w]
    return None


def _digits_value(text: str, next_is_multiplier: bool) -> float | None:
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
    vague = _phrase_at(toks, i, {"vague", "unquantified"})
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
    return j, v, v, v, "exact", "num"


def _magnitude(v: int) -> int:
    return len(str(v))


def _quantity_at(toks: list[_Tok], i: int) -> _Q | None:
    """A count starting at token i, with a qualifier or range around it."""
    before = _phrase_at(toks, i, {"before"})
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
                b = _core(toks, m)
                if b is not None:
                    b = _core_after_conj(toks, m)
            elif not is_between and sep in ("الي", "حتي"):
                b = _core(toks, m + 1)
            if b and b[5] == "num" and b[3] > a[3]:
                return _Q(i, b[0], a[3], b[3], a[3], "approx", "num")
    core = _core(toks, i)
    if core is None:
        return None
    ce, low, high, best, qual, src = core
    return _Q(i, ce, low, high, best, qual, src)


def _core_after_conj(toks: list[_Tok], m: int) -> tuple[int, int | None, int | None, int, str, str] | None:
    """The number in a token like "وعشرين" (the conjunction glued on)."""
    nw = _number_word(toks[m].text[1:], False)
    if nw is None:
        return None
    v = nw[1]
    return m + 1, v, v, v, "exact", "num"


def _after_qualifier(toks: list[_Tok], j: int) -> tuple[int, str] | None:
    hit = _phrase_at(toks, j, {"after"})
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


def _scan(norm: str) -> tuple[list[_Tok], list[_Q], list[_Hit], list[_Hit]]:
    """Tokens, the counts, the kind-word hits and the group-noun hits of a text."""
    toks = _tokens(norm)
    kinds = _hits(norm, toks, kind_matchers(), True)
    groups = _hits(norm, toks, (group_matcher(),), False)
    kind_at = {h.ts: h for h in kinds}
    group_at = {h.ts: h for h in groups}
    qs: list[_Q] = []
    i = 0
    while i < len(toks):
        q = _quantity_at(toks, i) if toks[i].word else None
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
        if noun is not None:
            count = (noun.kind.count if noun.kind else noun.group.count) if (noun.kind or noun.group) else ""
            is_victim = noun.kind is not None and noun.kind.pos == "victim"
            if count == "2" and (noun.group is None or noun.group.group != "-"):
                qs.append(_Q(noun.ts, noun.te, 2, 2, 2, "exact", "dual", noun))
            elif is_victim and count == "1" and not noun.definite:
                qs.append(_Q(noun.ts, noun.te, 1, 1, 1, "exact", "single", noun))
            elif is_victim and count == "pl":
                qs.append(_Q(noun.ts, noun.te, 1, None, 3, "unquantified", "noun_unq", noun))
            elif noun.group is not None and count == "1" and noun.group.group != "-":
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
    prev = toks[q.ts - 1].text if q.ts > 0 else ""
    nxt = toks[q.te].text if q.te < len(toks) else ""
    if prev in ("/", "-", ".") and q.ts > 1 and toks[q.ts - 2].text[0].isdigit():
        return True
    if nxt in ("/", "%", "٪") or (nxt == "-" and q.te + 1 < len(toks) and toks[q.te + 1].text[0].isdigit()):
        return True
    if any(f in BEFORE_REJECT for f in _unclitic(prev)):
        return True
    t = toks[q.ts].text
    if t.isdigit() and 1900 <= int(t) <= 2100 and q.te == q.ts + 1:
        has_noun = group_at is not None and q.te in group_at and group_at[q.te].group.group != "-"
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
    sents = split_sentences(norm)
    bounds = [s.start for s in sents]
    return [max(0, bisect_right(bounds, t.start) - 1) for t in toks]


def _negated(toks: list[_Tok], hit: _Hit) -> bool:
    for k in range(max(0, hit.ts - 2), hit.ts):
        if toks[k].text in NEGATIONS:
            return True
    return False


def find_figures(norm: str) -> list[FigureMention]:
    """Figures about people (killed, injured, displaced ...) with their count, kind and victims' group."""
    toks, qs, kinds, groups = _scan(norm)
    if not toks:
        return []
    sent = _sentence_ids(norm, toks)
    kind_at = {h.ts: h for h in kinds}
    group_at = {h.ts: h for h in groups}
    q_tokens: set[int] = set()
    for q in qs:
        if q.src not in ("group1", "noun_unq"):
            q_tokens.update(range(q.ts, q.te))
    used: set[int] = set()  # kind hits (by ts) consumed by a count
    in_np: set[int] = set()  # tokens inside some figure's noun phrase
    figs: list[_Fig] = []

    def words_between(a: int, b: int) -> list[_Tok]:
        return [t for t in toks[a:b] if t.word]

    def clean_gap(a: int, b: int, allow_punct: bool) -> bool:
        for k in range(a, b):
            if k in q_tokens:
                return False
            if not allow_punct and not toks[k].word and toks[k].text not in "\"'«»":
                return False
            if sent[k] != sent[a - 1 if a > 0 else 0] and k > 0:
                return False
        return True

    for q in qs:
        if q.te > len(toks) or any(q.ts <= f.ts < q.te for f in figs):
            continue
        if q.src == "noun_unq":
            continue
        if _rejected(toks, q, group_at):
            continue
        s = sent[q.ts]
        j = q.te
        group = "unknown"
        np_kind: _Hit | None = None
        if q.noun is not None:
            if q.noun.kind is not None:
                np_kind = q.noun if q.noun.kind.pos == "victim" else None
            elif q.noun.group is not None:
                group = q.noun.group.group
        else:
            for _ in range(2):
                h = kind_at.get(j)
                if h is not None and h.kind.pos == "victim" and np_kind is None:
                    np_kind, j = h, h.te
                    continue
                g = group_at.get(j)
                if g is not None and group == "unknown":
                    if g.group.group == "-":
                        group = "-"
                        break
                    group, j = g.group.group, g.te
                    continue
                break
        if group == "-":
            continue
        if q.src == "group1" and q.noun is not None and q.noun.definite:
            pass
        # one adjective after the noun ("52 متشددا اسلاميا", "سبعة رهائن اجانب")
        if (group != "unknown" or np_kind) and j < len(toks) and toks[j].word and not toks[j].text[0].isdigit() \
                and j not in kind_at and j not in group_at and toks[j].text not in VICTIM_STOP \
                and toks[j].text not in OTHERS and not _unclitic(toks[j].text)[-1] in VICTIM_STOP \
                and toks[j].text.endswith(("ا", "ين", "ون", "ي", "ه", "ان")) and not toks[j].text.startswith(("و", "ف")) \
                and _after_qualifier(toks, j) is None and toks[j].text not in ("من", "في"):
            j += 1
        other = False
        if j < len(toks) and toks[j].text in OTHERS:
            other, j = True, j + 1
        if q.src == "group1" and j < len(toks) and toks[j].text in OTHERS:
            other = True
        after = _after_qualifier(toks, j)
        if after is not None:
            _apply_after(q, after[1])
            j = after[0]
        victim: tuple[int, int] | None = None
        if j < len(toks) and (toks[j].text == "من" or (toks[j].text == "في" and j + 1 < len(toks)
                                                          and toks[j + 1].text in VICTIM_IN_HEADS)):
            nxt = group_at.get(j + 1)
            if nxt is not None and nxt.group.group == "-":
                continue
            k = j + 1
            while k < len(toks) and k - j <= 6 and toks[k].word and sent[k] == s and k not in q_tokens \
                    and k not in kind_at and toks[k].text not in VICTIM_STOP:
                k += 1
            if k > j + 1:
                victim = (j, k)
                if group == "unknown":
                    for g in groups:
                        if j < g.ts < k and g.group.group != "-":
                            group = g.group.group
                            break
                j = k
        elif q.src in ("num", "vague") and group == "unknown" and not np_kind and j < len(toks):
            nxt_g = group_at.get(j)
            if nxt_g is not None and nxt_g.group.group == "-":
                continue
        np_end = j
        kind_hit: _Hit | None = None
        kind = ""
        prev_fig = figs[-1] if figs and figs[-1].sent == s else None
        prev_words = [t.text for t in toks[max(0, q.ts - 2):q.ts]]
        subset = bool(prev_words) and (prev_words[-1] in SUBSET_MARKERS)
        if np_kind is not None:
            kind_hit, kind = np_kind, np_kind.kind.kind
        elif subset and prev_fig is not None:
            kind = prev_fig.kind
        if not kind:
            # a kind word before the count: "قُتل نحو 40", "مقتل 50", "عدد القتلى بلغ 37"
            best_hit = None
            for h in reversed(kinds):
                if h.te > q.ts:
                    continue
                if sent[h.ts] != s or h.kind.pos == "after":
                    break
                gap = len(words_between(h.te, q.ts))
                limit = 2 if q.src == "group1" else 3
                if gap <= limit and clean_gap(h.te, q.ts, False) and not _negated(toks, h):
                    if h.kind.pos == "victim" and (h.kind.count != "pl" or h.ts in in_np):
                        break
                    best_hit = h
                break
            if best_hit is not None and not (q.src == "group1" and q.noun is not None and q.noun.definite
                                             and len(words_between(best_hit.te, q.ts)) > 0):
                kind_hit, kind = best_hit, best_hit.kind.kind
        if not kind:
            # a kind word after the victims: "سبعة جنود قتلوا", "لقي اربعة حوثيين مصرعهم"
            for h in kinds:
                if h.ts < np_end:
                    continue
                if sent[h.ts] != s:
                    break
                gap = len(words_between(np_end, h.ts))
                limit = 2 if q.src == "group1" else (12 if h.kind.pos == "after" else 6)
                if gap <= limit and clean_gap(np_end, h.ts, True) and h.kind.pos in ("verb", "after") \
                        and not (q.src == "group1" and q.noun is not None and q.noun.definite):
                    kind_hit, kind = h, h.kind.kind
                break
        if not kind and prev_fig is not None and q.src in ("num", "vague") and not subset:
            # a list that goes on: "19 قتيلاً في حلب، و12 في دمشق"
            glued = toks[q.ts].text.startswith("و") or (q.ts > 0 and toks[q.ts - 1].text == "و")
            if glued and q.ts - prev_fig.te <= 12:
                kind = prev_fig.kind
                if group == "unknown" and prev_fig.group in ("civilians", "soldiers", "militants"):
                    pass
        if not kind and q.src == "group1" and other and prev_fig is not None:
            kind = prev_fig.kind
        if not kind:
            continue
        if q.src == "group1" and not (kind_hit is not None or subset or other):
            continue
        if kind_hit is not None:
            used.add(kind_hit.ts)
        if other and group == "unknown":
            for f in reversed(figs):
                if f.group != "unknown" and f.sent >= s - 1:
                    group = f.group
                    break
        if kind == "displaced" and group in ARMED:
            kind = "combatants"
        if kind == "displaced" and group == "unknown" and q.src == "num":
            group = "civilians"
        in_np.update(range(q.ts, np_end))
        start_tok = q.ts
        if kind_hit is not None and kind_hit.te <= q.ts and group == "unknown" and q.src in ("vague", "group1"):
            start_tok = kind_hit.ts
        figs.append(_Fig(q, start_tok, np_end, kind, group, kind_hit, victim, s))

    out = [_mention(toks, f) for f in figs]
    out.extend(_unquantified(toks, kinds, group_at, used, in_np, sent))
    out.sort(key=lambda m: (m.start, m.kind))
    return out


def _mention(toks: list[_Tok], f: _Fig) -> FigureMention:
    q = f.q
    trig = f.trigger
    vs = ve = None
    if f.victim is not None:
        vs, ve = toks[f.victim[0]].start, toks[f.victim[1] - 1].end
    return FigureMention(
        start=toks[f.ts].start, end=toks[f.te - 1].end, kind=f.kind, low=q.low, high=q.high, best=q.best,
        qualifier=q.qualifier, group=f.group, victim_text_start=vs, victim_text_end=ve,
        trigger_start=trig.start if trig else None, trigger_end=trig.end if trig else None)


def _unquantified(toks: list[_Tok], kinds: list[_Hit], group_at: dict[int, _Hit], used: set[int],
                  in_np: set[int], sent: list[int]) -> list[FigureMention]:
    """Deaths or injuries said without a number: "موقعةً قتلى", "سقوط قتلى وجرحى", "قتل المحتجين"."""
    out: list[FigureMention] = []
    for h in kinds:
        if h.ts in used or h.ts in in_np or _negated(toks, h):
            continue
        k = h.kind
        prev = toks[h.ts - 1].text if h.ts > 0 else ""
        if any(f in COUNT_NOUN_BEFORE for f in _unclitic(prev)):
            continue
        group = "unknown"
        end = h.end
        if k.pos == "victim" and k.count == "pl":
            if h.definite and k.kind in ("killed", "injured") and not prev:
                continue
        elif k.pos in ("verb", "event") and k.kind not in ("combatants",):
            g = group_at.get(h.te)
            if g is None or not g.definite or g.group.count != "pl" or g.group.group == "-":
                continue
            group, end = g.group.group, g.end
        else:
            continue
        nxt = h.te
        if nxt < len(toks) and toks[nxt].text == "من" and nxt + 1 < len(toks):
            g = group_at.get(nxt + 1)
            if g is not None and g.group.group != "-":
                group = g.group.group
        for kind in (k.split or (k.kind,)):
            out.append(FigureMention(h.start, end, kind, 1, None, 3, "unquantified", group,
                                     trigger_start=h.start, trigger_end=h.end))
    return out
