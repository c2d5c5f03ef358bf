"""Date expressions in Arabic news, resolved against the publication date (SPEC section 4, Dates).

News reports rarely write the event's date: they say "مساء أمس الأربعاء", "اليوم الخميس", "فجر
الجمعة". This module finds such expressions in the *normalised* text and resolves them:

* atoms are found with regular expressions built from the lexicons `lexicons/dates_*.tsv`
  (relative phrases, weekdays, parts of the day, months of three calendars, number words, units);
* adjacent atoms ("مساء" + "أمس" + "الاربعاء") are grouped into one mention and resolved together:
  the weekday is trusted over أمس/اليوم when they disagree (with a warning), a part of the day
  qualifies the day without moving it, and "... حتى الفجر" after an evening turns the mention into a
  two-day span;
* background facts (years alone, "منذ عام 2011", "في الأسابيع الماضية") come back with
  kind='background' so that event coding can skip them.

Offsets are normalised offsets (end exclusive); the caller maps them to the original text.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from hijridate import Gregorian, Hijri

from rasd.text.normalize import normalize_key

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

WEEKDAY_NAMES = ["الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"]


@dataclass
class DateMention:
    start: int
    end: int
    start_date: date | None
    end_date: date | None
    time_precision: int  # ACLED: 1 day, 2 week, 3 month (also used for a year)
    date_prec: int  # UCDP: 1 day, 2 = 2-6 days, 3 week, 4 month, 5 year
    kind: str  # today | yesterday | weekday | relative | absolute | span | background
    part_of_day: str | None = None  # morning | evening | night | dawn | noon


# --------------------------------------------------------------------------- lexicons


def _rows(name: str) -> list[dict[str, str]]:
    path = LEXICON_DIR / name
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


_ARTICLE_UNIT = r"(?:ال|(?<=ل)ل)"


def _alt(keys: list[str]) -> str:
    """Regex alternation of normalised phrases, longest first; a leading ال also matches after ل (لل).

    Written as a trie (one branch per next letter, the shorter phrase after its longer ones), so the
    regex engine tries a few letters at each position instead of every phrase: the same matches as
    the flat "longest|...|shortest" alternation (phrases that can match at one place are prefixes of
    one another, and a longer one is still tried first), several times faster on long lexicons.
    """
    trie: dict = {}
    for key in set(keys):
        units: list[str] = []
        for i, word in enumerate(key.split()):
            if i:
                units.append(r"\s+")
            units.extend(re.escape(c) for c in word)
        if key.startswith("ال"):
            units[:2] = [_ARTICLE_UNIT]
        node = trie
        for u in units:
            node = node.setdefault(u, {})
        node[""] = {}  # a phrase ends here
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    """The alternation of what may follow this trie node (bare: callers group it)."""
    parts = []
    for u, child in sorted(node.items()):
        if not u:
            continue
        sub = _trie_regex(child)
        parts.append(u + (f"(?:{sub})" if "|" in sub else sub))
    if "" in node and parts:
        parts.append("")  # the phrase ending here, after every longer one
    return "|".join(parts)


@dataclass
class _Lexicon:
    months: dict[str, tuple[str, int]]
    clear_months: list[str]
    weekdays: dict[str, tuple[int, bool]]
    parts: dict[str, str]
    relative: dict[str, tuple[str, str, int, str | None]]
    ordinals: dict[str, int]
    cardinals: dict[str, int]
    units: dict[str, tuple[str, int | None]]
    named: dict[str, date | None]
    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    month_word: re.Pattern[str] | None = None  # any month name as a word (clitics allowed): see _NEEDS
    named_have_month: bool = False  # every named date ends in a month name after a space ("ثوره 25 يناير")


@cache
def lexicon() -> _Lexicon:
    """Load the date lexicons once and compile the atom patterns."""
    lex = _Lexicon(
        months={normalize_key(r["word"]): (r["calendar"], int(r["month"])) for r in _rows("dates_months.tsv")},
        clear_months=[normalize_key(r["word"]) for r in _rows("dates_months.tsv") if r["ambiguous"] != "yes"],
        weekdays={normalize_key(r["word"]): (int(r["weekday"]), r["ambiguous"] == "yes")
                  for r in _rows("dates_weekdays.tsv")},
        parts={normalize_key(r["word"]): r["part"] for r in _rows("dates_parts_of_day.tsv")},
        relative={normalize_key(r["phrase"]): (r["kind"], r["unit"], int(r["offset"] or 0), r["part"] or None)
                  for r in _rows("dates_relative.tsv")},
        ordinals={normalize_key(r["word"]): int(r["value"]) for r in _rows("dates_numbers.tsv") if r["kind"] == "ordinal"},
        cardinals={normalize_key(r["word"]): int(r["value"]) for r in _rows("dates_numbers.tsv")
                   if r["kind"] == "cardinal"},
        units={normalize_key(r["word"]): (r["unit"], int(r["count"]) if r["count"] else None)
               for r in _rows("dates_units.tsv")},
        named={normalize_key(r["phrase"]): date.fromisoformat(r["date"]) if r["date"] else None
               for r in _rows("dates_named.tsv")},
    )
    pre = r"(?<!\w)(?:[وف]?[بلك]?)"
    month = f"(?:{_alt(list(lex.months))})"
    month_pair = rf"(?P<body>(?:شهر\s+)?(?P<month>{month})(?:\s*[/(\-]\s*(?P<month2>{month})\s*\)?)?)"
    year = r"(?:(?:من\s+)?(?:عام|العام|سنه|لعام)\s+)?(?P<year>\d{4})(?!\d)(?:\s*(?P<era>ه|هجريه|هجري|للهجره|م|ميلاديه|ميلادي)(?!\w))?"
    day = rf"(?P<day>(?<!\d)\d{{1,2}}(?!\d)|(?<!\w)(?:{_alt(list(lex.ordinals))}))"
    # every pattern with a month has it after a space or at a word start with و/ف + ب/ل/ك, and before a
    # non-word character: a text where this finds nothing (three texts in four) skips all six of them
    lex.month_word = re.compile(rf"{pre}(?:{_alt(list(lex.months))})(?!\w)")
    # then a text with no month name has no named date either (checked here, as the lexicon may grow)
    lex.named_have_month = all(len(k.split()) > 1 and k.split()[-1] in lex.months for k in lex.named)
    lex.patterns = [
        ("named", re.compile(rf"{pre}(?P<body>{_alt(list(lex.named))})(?!\w)")),
        ("iso", re.compile(r"(?<![\d/.\-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.\-]\d)")),
        ("dmy", re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?![\d/.\-]*\d)")),
        ("drange", re.compile(rf"(?<!\d)(?P<d1>\d{{1,2}})\s*(?:و|-|–|الي|حتي)\s*{day}\s+(?:من\s+)?(?:(?:شهر|الشهر)\s+)?"
                              rf"{month_pair}(?!\w)(?:\s*[،,]?\s*{year})?")),
        ("dmonth", re.compile(rf"{day}\s+(?:من\s+)?(?:(?:شهر|الشهر)\s+)?{month_pair}(?!\w)(?:\s*[،,]?\s*{year}"
                              rf"|\s+(?:الماضي|المنصرم|الفائت|الجاري|الحالي|المقبل|القادم)(?!\w))?")),
        ("monthyear", re.compile(rf"{pre}{month_pair}(?!\w)\s*[،,]?\s*{year}")),
        ("monthrel", re.compile(rf"{pre}{month_pair}\s+(?P<mod>الماضي|المنصرم|الفائت|المقبل|القادم|الجاري|الحالي)(?!\w)")),
        ("monthonly", re.compile(rf"(?<!\w)[وفبل]?[بل]?(?P<body>(?:شهر|الشهر)\s+(?P<month>{month}))(?!\w)")),
        ("monthin", re.compile(rf"(?<!\w)[وف]?(?P<body>(?:في|خلال|مطلع|منتصف|اواخر|اوائل|بدايه|نهايه|حتي|منذ)\s+"
                               rf"(?:(?:شهر|الشهر)\s+)?(?P<month>{_alt(lex.clear_months)})(?:\s*[/(\-]\s*{month}\s*\)?)?)(?!\w)")),
        ("ago", re.compile(rf"(?<!\w)[وف]?(?P<ago>قبل|منذ)\s+(?:(?:نحو|حوالي|قرابه|زهاء|اكثر\s+من|اقل\s+من)\s+)?"
                           rf"(?:(?P<n>\d+|{_alt(list(lex.cardinals))})\s+)?(?P<unit>{_alt(list(lex.units))})(?!\w)")),
        ("rel", re.compile(rf"{pre}(?P<rel>{_alt(list(lex.relative))})(?!\w)")),
        ("wd", re.compile(rf"{pre}(?:(?P<yawm>يوم|نهار)\s+)?(?P<wd>{_alt(list(lex.weekdays))})(?!\w)"
                          r"(?:\s+(?P<wdmod>الماضي|الفائت|المنصرم|المقبل|القادم)(?!\w))?")),
        ("part", re.compile(rf"{pre}(?:ال)?(?P<part>{_alt(list(lex.parts))})(?!\w)")),
        ("year", re.compile(r"(?<!\w)[وف]?(?P<body>(?:(?:منذ|حتي|في|خلال|قبل|بعد|مطلع|بدايه|نهايه|اواخر|اوائل|منتصف)\s+)?"
                            r"(?:(?:عام|العام|سنه|لعام|بعام)\s+)?(?P<year>(?:19|20)\d\d|1[34]\d\d)(?!\d)"
                            r"(?:\s*(?P<era>ه|م)(?!\w))?)")),
    ]
    return lex


# --------------------------------------------------------------------------- atoms


@dataclass
class _Atom:
    start: int
    end: int
    type: str  # abs | month | rel | wd | part | ago | year
    data: dict = field(default_factory=dict)


def _canon(table: dict, surface: str) -> str:
    """The lexicon key a matched surface stands for (للاسبوع -> الاسبوع)."""
    key = " ".join(surface.split())
    if key not in table and key.startswith("ل") and "ا" + key in table:
        return "ا" + key
    return key


def _lookup(table: dict, surface: str):
    return table.get(_canon(table, surface))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _hijri_to_greg(y: int, m: int, d: int) -> date | None:
    try:
        g = Hijri(y, m, d).to_gregorian()
        return date(g.year, g.month, g.day)
    except (ValueError, OverflowError):
        return None


def _month_value(lex: _Lexicon, m: re.Match[str]) -> tuple[str, int]:
    return _lookup(lex.months, m.group("month"))


def _year_of(m: re.Match[str]) -> int | None:
    y = m.groupdict().get("year")
    return int(y) if y else None


def _resolve_day_month(cal: str, mon: int, day: int, year: int | None, published: date | None) -> date | None:
    """A day of a month: as written when the year is given, else the latest one not after published + 7 days."""
    if cal == "hijri":
        if year is None:
            if published is None:
                return None
            hy = Gregorian(published.year, published.month, published.day).to_hijri().year
            for y in (hy + 1, hy, hy - 1):
                d = _hijri_to_greg(y, mon, day)
                if d and d <= published + timedelta(days=7):
                    return d
            return None
        return _hijri_to_greg(year, mon, day)
    if year is not None:
        return _safe_date(year, mon, day)
    if published is None:
        return None
    for y in (published.year + 1, published.year, published.year - 1):
        d = _safe_date(y, mon, day)
        if d and d <= published + timedelta(days=7):
            return d
    return None


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _resolve_month(cal: str, mon: int, year: int | None, published: date | None, strictly_before: bool = False,
                   future: bool = False) -> tuple[date, date] | None:
    if cal == "hijri":
        if year is None:
            if published is None:
                return None
            year = Gregorian(published.year, published.month, published.day).to_hijri().year
            first = _hijri_to_greg(year, mon, 1)
            if first and first > published:
                year -= 1
        first = _hijri_to_greg(year, mon, 1)
        last = _hijri_to_greg(year, mon % 12 + 1, 1) if mon < 12 else _hijri_to_greg(year + 1, 1, 1)
        if first is None:
            return None
        return first, (last - timedelta(days=1)) if last else first + timedelta(days=28)
    if year is None:
        if published is None:
            return None
        year = published.year
        if future:
            if mon <= published.month:
                year += 1
        elif mon > published.month or (strictly_before and mon == published.month):
            year -= 1
    return _month_range(year, mon)


_BACKGROUND_BEFORE = re.compile(r"(?:منذ|حتي|لغايه)\s+(?:(?:عام|العام|سنه|مطلع|بدايه|اواخر|اوائل|منتصف|شهر|نهايه)\s+)*$")


# what a pattern's match must contain, checked with one fast scan before the pattern itself
# ("iso" needs "2013/5/3"-like digits, "ago" needs قبل or منذ, "dmonth" a month name ...): most texts
# skip most of these. Each check runs at most once per text, cheapest first.
_DIGIT_SEP_DIGIT = re.compile(r"\d[-/.]\d")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d|1[34]\d\d")
_FOUR_DIGITS = re.compile(r"\d{4}")
_DAY_RANGE = re.compile(r"\d\s*(?:و|-|–|الي|حتي)")  # "drange" opens with "5 و", "5-", "5 الي" ...


def _has_month(t: str) -> bool:
    pat = lexicon().month_word
    return pat is not None and pat.search(t) is not None


def _has_separated_digits(t: str) -> bool:
    return _DIGIT_SEP_DIGIT.search(t) is not None


_NEEDS: dict[str, tuple[Callable[[str], bool], ...]] = {
    "named": (_has_month,),  # unless some named date lacks a month name: see _atoms
    "iso": (_has_separated_digits,),
    "dmy": (_has_separated_digits,),
    "year": (lambda t: _YEAR_DIGITS.search(t) is not None,),
    "ago": (lambda t: "قبل" in t or "منذ" in t,),
    "monthonly": (lambda t: "شهر" in t, _has_month),
    "drange": (lambda t: _DAY_RANGE.search(t) is not None, _has_month),
    "dmonth": (_has_month,),
    "monthyear": (lambda t: _FOUR_DIGITS.search(t) is not None, _has_month),
    "monthrel": (_has_month,),
    "monthin": (_has_month,),
}


def _atoms(norm: str, published: date | None) -> list[_Atom]:
    lex = lexicon()
    found: list[_Atom] = []
    checked: dict[Callable[[str], bool], bool] = {}
    for name, pat in lex.patterns:
        needs = _NEEDS.get(name, ())
        if name == "named" and not lex.named_have_month:
            needs = ()  # a named date without a month name: no month name proves nothing
        skip = False
        for need in needs:
            ok = checked.get(need)
            if ok is None:
                ok = checked[need] = need(norm)
            if not ok:
                skip = True
                break
        if skip:
            continue
        for m in pat.finditer(norm):
            atom = _make_atom(lex, name, m, norm, published)
            if atom is not None:
                found.append(atom)
    # leftmost-longest, non-overlapping
    found.sort(key=lambda a: (-(a.end - a.start), a.start))
    chosen: list[_Atom] = []
    for a in found:
        if all(a.end <= c.start or a.start >= c.end for c in chosen):
            chosen.append(a)
    return sorted(chosen, key=lambda a: a.start)


def _make_atom(lex: _Lexicon, name: str, m: re.Match[str], norm: str, published: date | None) -> _Atom | None:
    s, e = m.start(), m.end()
    # spans start at the word itself, not at a conjunction/preposition clitic
    gd = m.groupdict()
    if name == "rel":
        s = m.start("rel")
    elif name == "wd":
        s = m.start("yawm") if gd.get("yawm") else m.start("wd")
    elif name == "part":
        s = m.start("part") - (2 if norm[max(0, m.start("part") - 2):m.start("part")] == "ال" else 0)
        s = max(s, m.start())
    elif name == "ago":
        s = m.start("ago")
    elif "body" in gd and name not in {"dmonth", "drange"}:
        s = m.start("body")
    before = norm[max(0, s - 40):s]
    if name == "named":
        d = lex.named.get(_canon(lex.named, m.group("body")))
        return _Atom(s, e, "named", {"date": d})
    if name in {"iso", "dmy"}:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if name == "dmy" and y < 100:
            y += 2000 if y < 50 else 1900
        if name == "dmy" and mo > 12 and d <= 12:
            d, mo = mo, d
        dt = _safe_date(y, mo, d)
        if dt is None or not 1900 <= y <= 2100:
            return None
        return _Atom(s, e, "abs", {"date": dt, "bg": bool(_BACKGROUND_BEFORE.search(before))})
    if name in {"dmonth", "drange"}:
        cal, mon = _month_value(lex, m)
        dtxt = m.group("day")
        day = int(dtxt) if dtxt.isdigit() else _lookup(lex.ordinals, dtxt)
        if not day or not 1 <= day <= 31:
            return None
        year = _year_of(m)
        era = m.groupdict().get("era")
        if year and cal != "hijri" and (era in {"ه", "هجريه", "هجري", "للهجره"} or year < 1600) and m.group("month2"):
            cal, mon = _lookup(lex.months, m.group("month2"))
        if year is not None and cal != "hijri" and year < 1600:
            return None
        dt = _resolve_day_month(cal, mon, day, year, published)
        if dt is None:
            return None
        first = dt
        if name == "drange":
            first = _safe_date(dt.year, dt.month, int(m.group("d1"))) if cal != "hijri" else \
                dt - timedelta(days=day - int(m.group("d1")))
            if first is None or first >= dt:
                return None
        return _Atom(s, e, "abs", {"date": first, "end": dt, "bg": bool(_BACKGROUND_BEFORE.search(before)),
                                   "no_year": year is None and cal != "hijri"})
    if name in {"monthyear", "monthrel", "monthonly", "monthin"}:
        cal, mon = _month_value(lex, m)
        mod = m.groupdict().get("mod")
        year = _year_of(m)
        if year is not None and cal != "hijri" and year < 1600:
            return None
        rng = _resolve_month(cal, mon, year, published, strictly_before=mod in {"الماضي", "المنصرم", "الفائت"},
                             future=mod in {"المقبل", "القادم"})
        if rng is None:
            return None
        bg = bool(_BACKGROUND_BEFORE.search(before) or re.match(r"(?:منذ|حتي)(?!\w)", norm[s:e]))
        return _Atom(s, e, "month", {"range": rng, "bg": bg})
    if name == "ago":
        unit, count = _lookup(lex.units, m.group("unit"))
        n = m.group("n")
        if n:
            count = int(n) if n.isdigit() else _lookup(lex.cardinals, n)
        return _Atom(s, e, "ago", {"unit": unit, "n": count, "since": m.group("ago") == "منذ"})
    if name == "rel":
        rel = _canon(lex.relative, m.group("rel"))
        kind, unit, offset, part = lex.relative[rel]
        after = norm[e:e + 20]
        if rel == "اليوم":
            if re.match(r"\s+(?:العالمي|الوطني|الدولي|الاول|الثاني|الثالث|الرابع|الخامس|السادس|السابع|الثامن|"
                        r"التاسع|العاشر|التالي|السابق|نفسه|ذاته|الذي|الموعود|الاخير|الوحيد|من\s+ايام)(?!\w)", after):
                return None
            if re.match(r"\s*[»)]", after) and re.search(r"[«(]\s*(?:\w+\s+)?$", before):  # «اليمن اليوم»: a name
                return None
            if re.search(r"(?<!\w)(?:ذلك|هذا|ذات|نفس|مثل|عين|صحيفه|جريده|موقع|قناه|روسيا|اخبار|المصري)\s+$", before):
                return None
        if rel in {"اليوم", "الان"}:
            if re.search(r"(?<!\w)(?:حتي|لغايه|الي)\s+$", before) and not re.search(r"(?:مساء|صباح|فجر|ظهر|ليل)\S*\s+$", before):
                kind, unit = "until_today", "day"
        if rel == "الغد" and not re.search(r"(?<!\w)(?:في|صباح|مساء|يوم)\s+$", before):
            return None
        return _Atom(s, e, "rel", {"kind": kind, "unit": unit, "offset": offset, "part": part})
    if name == "wd":
        wd, ambiguous = _lookup(lex.weekdays, m.group("wd"))
        return _Atom(s, e, "wd", {"wd": wd, "ambiguous": ambiguous and not m.group("yawm") and not m.group("wdmod"),
                                  "mod": m.group("wdmod")})
    if name == "part":
        return _Atom(s, e, "part", {"part": _lookup(lex.parts, m.group("part"))})
    if name == "year":
        y = int(m.group("year"))
        hijri = y < 1600
        if hijri and m.group("era") != "ه":
            return None
        if re.match(r"\s*(?:شخص|قتيل|جندي|مدني|عنصر|مسلح|طفل|نازح|لاجي|اسير|معتقل|جريح|مصاب|منزل|دولار|ريال|جنيه|"
                    r"متر|كيلو|كلم|كم|الف|مليون)", norm[e:e + 12]):
            return None
        return _Atom(s, e, "year", {"year": y, "hijri": hijri})
    return None


# --------------------------------------------------------------------------- grouping and resolution

_JOIN_GAP = re.compile(r"^[\s،,\-–]*(?:(?:من|يوم|الموافق|الماضي|الماضيه)[\s،,]+)?$")
_SPAN_GAP = re.compile(r"(?<!\w)(?:حتي|وحتي|الي|والي|لغايه|ولغايه)\s+(?:ساعات\s+|ساعه\s+|بزوغ\s+|طلوع\s+)?$")
_NOT_DAY_BEFORE = frozenset({"بين", "كلا", "كلتا", "من", "ان", "لكن", "ولكن", "عن", "علي", "الي", "مع", "هذين", "هذان",
                             "وهما", "هما", "اي", "ايا", "احد"})
_NOT_DAY_AFTER = frozenset({"معا", "عشر", "عشره", "منهم", "منهما", "منها", "من", "الذين", "اللذين", "اللتين",
                            "والعشرين", "اخر", "الاخر", "الاخرين", "كلاهما"})


def _latest_weekday(published: date, wd: int, strictly_before: bool = False, future: bool = False) -> date:
    if future:
        delta = (wd - published.weekday()) % 7 or 7
        return published + timedelta(days=delta)
    delta = (published.weekday() - wd) % 7
    if strictly_before and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _ambiguous_ok(norm: str, atom: _Atom) -> bool:
    """الأحد/الاثنين alone: a day only as a time adverb, not as "one"/"both"."""
    prev = re.findall(r"\w+", norm[max(0, atom.start - 25):atom.start])
    nxt = re.findall(r"\w+", norm[atom.end:atom.end + 25])
    if prev and prev[-1] in _NOT_DAY_BEFORE:
        return False
    if nxt and nxt[0] in _NOT_DAY_AFTER:
        return False
    if prev and prev[-1].isdigit():
        return False
    return True


def _group(atoms: list[_Atom], norm: str) -> list[list[_Atom]]:
    groups: list[list[_Atom]] = []
    for a in atoms:
        if groups:
            g = groups[-1]
            types = [x.type for x in g]
            day_like = {"rel", "wd", "abs", "part"}
            gap = norm[g[-1].end:a.start]
            joinable = (a.type in day_like and all(t in day_like for t in types) and _JOIN_GAP.match(gap)
                        and (a.type == "part" or a.type not in types)
                        and not (a.type == "rel" and a.data["unit"] != "day")
                        and not any(x.type == "rel" and x.data["unit"] != "day" for x in g))
            # "ليل الاربعاء الخميس": two weekdays in a row are a night span
            if a.type == "wd" and types[-1] == "wd" and re.match(r"^\s*(?:[-/–]|علي)?\s*$", gap):
                g.append(a)
                continue
            if joinable:
                g.append(a)
                continue
        groups.append([a])
    return groups


def _resolve_group(g: list[_Atom], norm: str, published: date | None, warnings: list[str]) -> DateMention | None:
    start, end = g[0].start, g[-1].end
    parts = [a.data["part"] for a in g if a.type == "part"]
    rels = [a for a in g if a.type == "rel"]
    wds = [a for a in g if a.type == "wd"]
    abss = [a for a in g if a.type == "abs"]
    part = parts[0] if parts else (rels[0].data["part"] if rels else None)
    first = g[0]
    if first.type == "month":
        s, e = first.data["range"]
        kind = "background" if first.data["bg"] else "absolute"
        return DateMention(start, end, s, e, 3, 4, kind, None)
    if first.type == "year":
        y = first.data["year"]
        if first.data["hijri"]:
            s = _hijri_to_greg(y, 1, 1)
            e2 = _hijri_to_greg(y + 1, 1, 1)
            return DateMention(start, end, s, e2 - timedelta(days=1) if e2 else None, 3, 5, "background", None)
        return DateMention(start, end, date(y, 1, 1), date(y, 12, 31), 3, 5, "background", None)
    if first.type == "named":
        d = first.data["date"]
        return DateMention(start, end, d, d, 1, 1, "background", None)
    if first.type == "ago":
        return _resolve_ago(first, published)
    if abss:
        d = abss[0].data["date"]
        if wds and abss[0].data.get("no_year") and d.weekday() != wds[0].data["wd"]:
            # "الأحد 5 مايو" without a year: the weekday tells which year (the nearest that fits)
            for dy in (1, -1, 2, -2):
                alt = _safe_date(d.year + dy, d.month, d.day)
                if alt and alt.weekday() == wds[0].data["wd"]:
                    shift = alt - d
                    abss[0].data = {**abss[0].data, "date": alt, "end": abss[0].data["end"] + shift}
                    d = alt
                    break
        if wds and d.weekday() != wds[0].data["wd"]:
            warnings.append(f"weekday {WEEKDAY_NAMES[wds[0].data['wd']]} does not match the written date {d.isoformat()}")
        kind = "background" if abss[0].data["bg"] else "absolute"
        last = abss[0].data.get("end") or d
        if last > d:
            days = (last - d).days + 1
            return DateMention(start, end, d, last, 1, 2 if days <= 6 else 3 if days <= 7 else 4,
                               "background" if kind == "background" else "span", part)
        return DateMention(start, end, d, d, 1, 1, kind, part)
    if len(wds) == 2 and published is not None:  # ليل الاربعاء الخميس
        d2 = _latest_weekday(published, wds[1].data["wd"])
        d1 = d2 - timedelta(days=(d2.weekday() - wds[0].data["wd"]) % 7 or 7)
        return DateMention(start, end, d1, d2, 1, 2, "span", part or "night")
    if wds:
        w = wds[0]
        if w.data["ambiguous"] and len(g) == 1 and not _ambiguous_ok(norm, w):
            return None
        mod = w.data["mod"]
        if published is None:
            return DateMention(start, end, None, None, 1, 1, "weekday", part)
        d = _latest_weekday(published, w.data["wd"], strictly_before=mod in {"الماضي", "الفائت", "المنصرم"},
                            future=mod in {"المقبل", "القادم"})
        kind = "weekday"
        if rels and rels[0].data["unit"] == "day" and rels[0].data["kind"] != "until_today":
            rd = published + timedelta(days=rels[0].data["offset"])
            if rd.weekday() == w.data["wd"]:
                d, kind = rd, rels[0].data["kind"]
            else:
                if rels[0].data["offset"] > 0:  # "غدا الجمعة": look ahead, not back
                    d = _latest_weekday(published, w.data["wd"], future=True)
                warnings.append(
                    f"'{norm[start:end]}': {WEEKDAY_NAMES[w.data['wd']]} contradicts published {published.isoformat()} "
                    f"(which puts it on {rd.isoformat()}); using {d.isoformat()}")
        return DateMention(start, end, d, d, 1, 1, kind, part)
    if rels:
        return _resolve_rel(rels[0], start, end, published, part)
    return None  # a part of the day alone names no day


def _resolve_rel(r: _Atom, start: int, end: int, published: date | None, part: str | None) -> DateMention | None:
    kind, unit, offset = r.data["kind"], r.data["unit"], r.data["offset"]
    if kind == "until_today":
        return DateMention(start, end, published, published, 1, 1, "background", None)
    if published is None or unit == "none":
        prec = {"day": (1, 1), "week": (2, 3), "month": (3, 4), "year": (3, 5)}.get(unit, (3, 5))
        return DateMention(start, end, None, None, prec[0], prec[1], kind, part)
    if unit == "day":
        d = published + timedelta(days=offset)
        return DateMention(start, end, d, d, 1, 1, kind, part)
    if unit == "week":
        sat = published - timedelta(days=(published.weekday() - 5) % 7)  # weeks start on Saturday
        s = sat + timedelta(days=7 * offset)
        e = min(s + timedelta(days=6), published)
        return DateMention(start, end, s, e, 2, 3, kind, None)
    if unit == "month":
        y, m = published.year, published.month + offset
        while m < 1:
            y, m = y - 1, m + 12
        s, e = _month_range(y, m)
        return DateMention(start, end, s, min(e, published), 3, 4, kind, None)
    y = published.year + offset
    return DateMention(start, end, date(y, 1, 1), min(date(y, 12, 31), published), 3, 5, kind, None)


def _resolve_ago(a: _Atom, published: date | None) -> DateMention:
    unit, n = a.data["unit"], a.data["n"]
    if n is None or published is None:  # "قبل أيام", "منذ سنوات": vague
        return DateMention(a.start, a.end, None, None, 3, 5, "background", None)
    if unit == "hour":
        return DateMention(a.start, a.end, published, published, 1, 1, "relative", None)
    if unit == "day":
        d = published - timedelta(days=n)
        return DateMention(a.start, a.end, d, d, 1, 1, "relative", None)
    if unit == "week":
        d = published - timedelta(days=7 * n)
        return DateMention(a.start, a.end, d, d + timedelta(days=6), 2, 3, "relative", None)
    if unit == "month":
        y, m = published.year, published.month - n
        while m < 1:
            y, m = y - 1, m + 12
        s, e = _month_range(y, m)
        return DateMention(a.start, a.end, s, e, 3, 4, "background", None)
    y = published.year - n
    return DateMention(a.start, a.end, date(y, 1, 1), date(y, 12, 31), 3, 5, "background", None)


def _day_of(m: DateMention | None) -> date | None:
    return m.start_date if m and m.time_precision == 1 else None


def _resolve_safely(g: list[_Atom], norm: str, published: date | None, warnings: list[str]) -> DateMention | None:
    """A group that resolves to no real calendar day ("قبل 2500 عام" → year -485) is no date."""
    try:
        return _resolve_group(g, norm, published, warnings)
    except (ValueError, OverflowError):
        return None


def find_dates(norm: str, published: date | None) -> tuple[list[DateMention], list[str]]:
    """All date mentions in normalised text, resolved against `published`, plus warnings."""
    warnings: list[str] = []
    groups = _group(_atoms(norm, published), norm)
    out: list[DateMention] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        mention = _resolve_safely(g, norm, published, warnings)
        # "مساء أمس الاربعاء واستمرت حتى الفجر": a following "حتى <part/day>" closes a span
        if mention is not None and mention.time_precision == 1 and mention.kind != "background" and i + 1 < len(groups):
            nxt = groups[i + 1]
            gap = norm[g[-1].end:nxt[0].start]
            if len(gap) <= 60 and not re.search(r"[.!?؟\n]", gap) and _SPAN_GAP.search(gap) \
                    and all(a.type in {"part", "rel", "wd", "abs"} for a in nxt):
                end_m = _resolve_safely(nxt, norm, published, warnings) if any(a.type != "part" for a in nxt) else None
                end_date = _day_of(end_m)
                if end_date is None and mention.start_date is not None:
                    end_part = next((a.data["part"] for a in nxt if a.type == "part"), None)
                    late = mention.part_of_day in {"evening", "night"}
                    next_day = late and end_part in {"dawn", "morning", "noon"}
                    end_date = mention.start_date + timedelta(days=1 if next_day else 0)
                if end_date is not None and mention.start_date is not None and end_date >= mention.start_date:
                    if end_date > mention.start_date:
                        days = (end_date - mention.start_date).days + 1
                        mention = DateMention(mention.start, nxt[-1].end, mention.start_date, end_date, 1,
                                              2 if days <= 6 else 3, "span", mention.part_of_day)
                    else:
                        mention.end = nxt[-1].end
                    i += 1
        if mention is not None:
            out.append(mention)
        i += 1
    return out, warnings


_REPORT_VERB = re.compile(r"(?<!\w)[وف]?(?:قال|قالت|اعلن|اعلنت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|اوضح|اوضحت|صرح|صرحت|"
                          r"نقل|نقلت|اضاف|اضافت|لcnn|تقرير|بيان)(?!\w)")


def _is_report_date(norm: str, m: DateMention) -> bool:
    """A date right after a reporting verb and its subject ("أفادت مصادر الثلاثاء، بأن") dates the report."""
    # "أعلنت وزارة الدفاع الروسية، اليوم الخميس، وقوع ...": the verb may sit one comma back
    clause_start = max(norm.rfind(c, 0, m.start) for c in ".\n؛")
    window = norm[max(clause_start + 1, m.start - 45):m.start]
    return bool(_REPORT_VERB.search(window)) and bool(re.match(r"\s*(?:،|,|:|ب?ان(?:\s|$))", norm[m.end:m.end + 6]))


def pick_event_date(mentions: list[DateMention], norm: str, spans: list[tuple[int, int]],
                    published: date | None) -> DateMention:
    """The date of an event read from evidence `spans` (normalised offsets, most important first).

    In order: an event date inside a span; one in the span's sentence; a background date written
    inside the span itself ("قتل المحتجين عام 2009"); the nearest event date before the span in the
    article (reports state the day once, in the lead); the first one after it; the publication day.
    """
    from rasd.text.segment import sentence_spans

    usable = [m for m in mentions if m.kind != "background" and m.start_date is not None]
    dated = [m for m in mentions if m.start_date is not None]
    sentences = sentence_spans(norm)  # cached: the pipeline asks once per event of the same text
    for s, e in spans:
        inside = [m for m in usable if m.start >= s and m.end <= e]
        if inside:
            return min(inside, key=lambda m: (_is_report_date(norm, m), m.start))
        sent = next((x for x in sentences if x.start <= s < x.end), None)
        if sent is not None:
            around = [m for m in usable if m.start >= sent.start and m.end <= sent.end]
            if around:
                return min(around, key=lambda m: (_is_report_date(norm, m), m.time_precision != 1,
                                                  max(s - m.end, m.start - e)))
    for s, e in spans:
        inside = [m for m in dated if m.start >= s and m.end <= e]
        if inside:
            return inside[0]
    days = [m for m in usable if m.time_precision == 1]
    if spans:
        s = spans[0][0]
        before = [m for m in days if m.end <= s]
        if before:
            return before[-1]
        after = [m for m in days if m.start >= s]
        if after:
            return after[0]
    return default_event_date(published)


def default_event_date(published: date | None) -> DateMention:
    """The date of an event whose text names none: the publication day (offsets 0,0: no text)."""
    return DateMention(0, 0, published, published, 1, 1, "today", None)
