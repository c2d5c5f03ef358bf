"""Find place expressions in normalised Arabic text and resolve them to gazetteer places.

A place expression is a toponym from the gazetteer plus the cue words around it (`place_cues.tsv`):
"مدينة إدلب" (the town), "محافظة إدلب" (the governorate), "ريف إدلب الجنوبي" (a part of the
governorate), "قرب حلب" (near the town), "بين X و Y" (somewhere between two places). The cues decide
which of several same-named places is meant and how precise the location is (ACLED geo_precision 1-3,
UCDP where_prec 1-7).

Precision over recall: a small village name is only taken when a locative cue licenses it and it lies
in a country the article is about; a name shared by places in several governorates goes to the one
nearest the article's other places. A wrong town is worse than a coarse but right governorate.
"""

from __future__ import annotations

import csv
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, islice, repeat
from operator import not_, sub

from rasd.places.gazetteer import NOT_PLACE, Gazetteer, Place, PlaceList, load_gazetteer
from rasd.text.matcher import Match, strip_clitics
from rasd.text.normalize import normalize_key

_WORD = re.compile(r"\w+")
_QUOTES = " \"'«»“”()-"
# Placetype rank used when a name is shared by places of different kinds.
_RANK = {"country": 5, "region": 4, "county": 3, "feature": 3, "camp": 2, "airport": 2, "base": 2, "crossing": 2,
         "locality": 1, "campus": 1, "neighbourhood": 0.5}
_SETTLED = ("locality", "neighbourhood", "campus", "camp", "airport", "base", "crossing")
_STRONG = ("settlement", "adm1", "adm2", "area", "capital")


@dataclass(slots=True)
class PlaceMention:
    start: int  # the whole expression ("ريف إدلب الجنوبي"), normalised offsets
    end: int
    name_start: int  # the toponym itself
    name_end: int
    name: str
    name_ar: str
    gazetteer_id: str
    country: str
    admin1: str | None
    admin2: str | None
    admin3: str | None
    lat: float
    lon: float
    geo_precision: int  # ACLED 1 town, 2 near a town / part of a region, 3 larger region
    where_prec: int  # UCDP 1-7
    placetype: str
    population: int | None
    cue: str | None  # the cue word that shaped the reading ("ريف", "محافظة", "قرب"...)


@dataclass(frozen=True, slots=True)
class _Cues:
    kinds: dict[tuple[str, ...], str]  # token tuple (normalised) -> kind
    suffixes: dict[tuple[str, ...], str]
    stop: frozenset[str]
    common: dict[str, float]  # name -> share of its news occurrences with a locative cue
    max_len: int
    last_words: frozenset[str] = frozenset()  # the last word of every cue: what may precede a name
    suffix_first: frozenset[str] = frozenset()  # the first word of every suffix cue: what may follow one
    ends_cue: dict[str, bool] = field(default_factory=dict)  # word -> may end a cue (filled as words come)


@cache
def load_cues() -> _Cues:
    text = resources.files("rasd").joinpath("lexicons", "place_cues.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    kinds: dict[tuple[str, ...], str] = {}
    suffixes: dict[tuple[str, ...], str] = {}
    stop: set[str] = set()
    for row in csv.DictReader(lines, delimiter="\t"):
        key = normalize_key(row["cue"] or "")
        kind = (row["kind"] or "").strip()
        if not key or not kind:
            continue
        if kind == "stop":
            stop.add(key)
        elif kind == "not_place":
            continue
        elif kind.startswith("suffix_"):
            suffixes[tuple(key.split())] = kind[len("suffix_"):]
        else:
            kinds[tuple(key.split())] = kind
    # every cue word is also a stop word: "مدينة", "شارع", "محيط" are place names somewhere
    stop.update(" ".join(k) for k in kinds)
    stop.update(" ".join(k) for k in suffixes)
    common_text = resources.files("rasd").joinpath("data", "gazetteer.common.tsv").read_text(encoding="utf-8")
    common = {}
    for ln in common_text.splitlines()[2:]:
        parts = ln.split("\t")
        if len(parts) >= 3:
            common[parts[0]] = float(parts[2])
    last = frozenset(k[-1] for k in kinds)
    return _Cues(kinds, suffixes, frozenset(stop), common, max(len(k) for k in kinds), last,
                 frozenset(k[0] for k in suffixes))


@dataclass(slots=True)
class _Reading:
    match: Match[int]
    start: int
    end: int
    level: str | None = None  # settlement / adm1 / adm2 / site / capital / area / centre
    level_word: str | None = None
    modifier: str | None = None  # rural / direction / near / between
    modifier_word: str | None = None
    locative: bool = False
    suffix: str | None = None
    adjective: bool = False  # "القوات السعودية": a name used as an adjective
    nisba: bool = False  # "السورية" read as "سورية" with the article: an adjective of a country
    # per-reading caches, filled once the cues are final (`_every`, `_candidates`): the context, the
    # anchor look-ahead and the main loop each ask for them again
    every: list[Place] | None = None
    cands: list[Place] | None = None
    own: Place | None = None  # `_own_place`, once `own_done`
    own_done: bool = False


def _every(r: _Reading, places: PlaceList) -> list[Place]:
    """Every place listed under the reading's name (shared, never mutated)."""
    if r.every is None:
        r.every = places.many(r.match.payloads)
    return r.every


def _words_before(norm: str, pos: int, limit: int = 4) -> list[tuple[int, int, str]]:
    """Up to `limit` words before `pos` in the same clause, nearest last (quotes are skipped)."""
    out: list[tuple[int, int, str]] = []
    i = pos
    while len(out) < limit:
        while i > 0 and norm[i - 1] in _QUOTES:
            i -= 1
        if i == 0 or not norm[i - 1].isalnum():
            break
        j = i
        while j > 0 and norm[j - 1].isalnum():
            j -= 1
        out.append((j, i, norm[j:i]))
        i = j
    out.reverse()
    return out


@lru_cache(maxsize=65536)
def _token_forms(word: str) -> tuple[str, ...]:
    stripped = strip_clitics(word)
    return (word, stripped) if stripped != word else (word,)


_ALNUM = re.compile(r"[^\W_]+")
_ALNUM_SPLIT = re.compile(r"([^\W_]+)")


class _Tokens:
    """The words of a text, tokenised once: the cue reader looks up the words before each name by
    index instead of rescanning characters for every one of ~100 name hits per article."""

    def __init__(self, norm: str) -> None:
        # one C-level split gives gap, word, gap, word, ..., gap: offsets are running sums of the part
        # lengths, with no match object per word (this runs over every word of every article)
        parts = _ALNUM_SPLIT.split(norm)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.starts = offsets[1:-1:2]
        self.toks = list(zip(self.starts, offsets[2::2], parts[1::2], strict=True))
        # joined[i]: only spaces/quotes between word i-1 and word i (same clause)
        self.joined = [False, *map(not_, map(str.strip, parts[2:-1:2], repeat(_QUOTES)))]

    def token_start(self, pos: int) -> tuple[int, int]:
        """(index, start) of the word that contains pos."""
        i = bisect_right(self.starts, pos) - 1
        return i, self.starts[i]

    def before(self, i: int, limit: int) -> list[tuple[int, int, str]]:
        """Up to `limit` words before word i in the same clause, nearest last."""
        j = i
        lo = max(0, i - limit)
        while j > lo and self.joined[j]:
            j -= 1
        return self.toks[j:i]


@cache
def _country_keys() -> frozenset[str]:
    gaz = load_gazetteer()
    return frozenset(k for k in gaz.matcher.keys() if any(
        i >= 0 and gaz.places[i].placetype == "country" for i in gaz.matcher.payloads(k)))


def _read_cues(norm: str, m: Match[int], cues: _Cues, tx: _Tokens) -> _Reading:
    r = _Reading(m, m.start, m.end)
    # the clitics glued to the toponym itself: "بإدلب", "وحلب"
    ti, tok_start = tx.token_start(m.start)
    glued = norm[tok_start:m.start]
    if glued.endswith("ال") and not m.key.startswith("ال"):
        # a nisba: "المعارضة السورية" (Syrian), not "سورية" (Syria). A country's nisba is kept as a weak
        # country mention (cue "nisba": the story's country when the event names nothing finer); the
        # gate lets it through like a locative; other nisbas get no such licence
        r.nisba = True
        r.locative = m.key in _country_keys()
    elif "ب" in glued or glued.endswith("ل"):
        r.locative = True
    words = tx.before(ti, 5)
    pos = len(words)

    def take(allowed: tuple[str, ...]) -> tuple[str, str, int, int] | None:
        # every cue ends with the word right before `pos` (or, for a one-word cue, with that word
        # without its proclitics): when that word ends no cue, nothing below can match
        if not pos:
            return None
        if not _ends_cue(words[pos - 1][2], cues):
            return None
        kinds = cues.kinds
        for n in range(min(cues.max_len, pos), 0, -1):
            seq = words[pos - n:pos]
            # the words as written, then with the first word's proclitics stripped ("بمدينة" -> "مدينة")
            v = tuple([w[2] for w in seq])
            kind = kinds.get(v)
            if kind in allowed:
                return kind, " ".join(v), n, 0
            first_forms = _token_forms(v[0])
            if len(first_forms) > 1:
                v = (first_forms[1], *v[1:])
                kind = kinds.get(v)
                if kind in allowed:
                    glue = seq[0][2][: len(seq[0][2]) - len(v[0])]
                    if "ب" in glue or glue.endswith("ل"):
                        r.locative = True
                    return kind, " ".join(v), n, len(glue)
        return None

    # "بلده وشعبه" is "his country and his people": a cue word is not followed by a conjoined name
    hit = take(("settlement", "adm1", "adm2", "site", "capital", "area", "centre")) if not glued.startswith("و") else None
    if hit:
        r.level, r.level_word, n, glue_len = hit
        r.start = words[pos - n][0] + glue_len  # the expression starts after its proclitics: ب|مدينة
        pos -= n
    hit = take(("rural", "direction", "near", "between", "locative"))
    if hit and hit[0] == "locative":
        r.locative = True
    elif hit:
        r.modifier, r.modifier_word, n, glue_len = hit
        r.start = words[pos - n][0] + glue_len
        pos -= n
        if r.modifier in ("rural", "direction", "near"):
            r.locative = True
            more = take(("locative",))
            if more:
                r.locative = True
    if not r.level and not r.modifier and len(words) >= 2 and not r.locative and words[-1][2] != "في" \
            and not words[-1][2].startswith("ب") and any(
            cues.kinds.get((f,)) == "site" for f in _token_forms(words[-2][2])):
        r.level = "site"  # "حي طريق الباب": a street name, not the town of Al-Bab
    if not r.level and not r.modifier and words:
        prev = words[-1][2]
        definite = prev.startswith(("ال", "وال", "فال", "بال", "لل", "ولل"))
        if m.key.startswith("ال") and definite and (strip_clitics(prev),) not in cues.kinds and not glued:
            r.adjective = True
    # words after the toponym: "ريف حلب الغربي", "دمشق وريفها", "زنجبار وضواحيها"
    # most names are followed by no suffix cue's first word: look at that word alone before the rest
    first = _WORD.search(norm, m.end, m.end + 40)
    if first is None or first.group() not in cues.suffix_first:
        return r
    after = norm[m.end:m.end + 40]
    # only the first two words can be a suffix cue
    toks = [(mm.start(), mm.end(), mm.group(0)) for mm in islice(_WORD.finditer(after), 2)]
    if toks and after[: toks[0][0]].strip(_QUOTES) == "":
        for n in (2, 1):
            seq = toks[:n]
            if len(seq) < n or any(after[a[1]:b[0]].strip() for a, b in zip(seq, seq[1:], strict=False)):
                continue
            kind = cues.suffixes.get(tuple(t[2] for t in seq))
            if kind:
                r.suffix = kind
                r.end = m.end + seq[-1][1]
                break
    return r


@dataclass(slots=True)
class _Context:
    countries: Counter
    admin1: Counter
    hint: str | None
    points: list[tuple[float, float]]
    scores: dict[int, tuple] = field(default_factory=dict)  # per-article cache: a name recurs
    lats: list[float] = field(default_factory=list)  # the points' coordinates, for `_score_uncached`
    lons: list[float] = field(default_factory=list)
    fixed: dict[int, tuple] = field(default_factory=dict)  # the gazetteer's `PlaceList.memo`


def _context(readings: list[_Reading], places: PlaceList, hint: str | None, cues: _Cues) -> _Context:
    """Countries and governorates the article is about, from its unambiguous well-known places."""
    countries: Counter = Counter()
    admin1: Counter = Counter()
    points: list[tuple[float, float]] = []
    usable = [r for r in readings if not (r.adjective or r.match.key in cues.stop
                                          or (_common_word(r.match.key, None, cues) and not r.level))]
    # pass 1: countries, governorates and curated places name the article's countries; pass 2: big
    # cities add their country only when it agrees with pass 1 (or pass 1 found none): "زنجبار" in a
    # Yemen story is Zinjibar, not Zanzibar
    # each reading's well-known namesakes do not depend on the pass: worked out once for both
    eminent: list[tuple[list[Place], bool]] = []
    for r in usable:
        # a governorate cue narrows reliably ("محافظة البيضاء" is Yemen's); a town cue does not (Libya's
        # Al Bayda is a city too), so then every well-known namesake counts
        pool = _candidates(r, places) if r.level in ("adm1", "adm2") else _every(r, places)
        cands = [p for p in pool if p.eminent and p.placetype != "neighbourhood"]
        coarse = any(p.placetype == "country" for p in cands) or all(
            p.placetype == "region" or p.curated for p in cands)
        if coarse and any(p.placetype == "country" for p in cands):
            cands = [p for p in cands if p.placetype == "country"]
        if cands:
            eminent.append((cands, coarse))
    for big_cities in (False, True):
        known = set(countries)
        for cands, coarse in eminent:
            if coarse == big_cities:
                continue
            ccs = {p.country for p in cands}
            if big_cities and known and not ccs & known:
                continue
            if big_cities and known:
                cands = [p for p in cands if p.country in known]
                ccs = {p.country for p in cands}
            if len(ccs) == 1:
                countries[ccs.pop()] += 1
            a1 = {(p.country, p.admin1) for p in cands if p.placetype != "country"}
            if len(a1) == 1:
                admin1[a1.pop()] += 1
                best = max(cands, key=lambda p: (_RANK.get(p.placetype, 1), p.population or 0))
                points.append((best.lat, best.lon))
    # the nearest point is all that is asked of them: a place named ten times counts once
    points = list(dict.fromkeys(points))
    if hint:
        countries[hint] += 3
    # second pass: towns of the article's countries that sit in a single governorate
    for r in usable:
        cands = [p for p in _candidates(r, places) if p.major and p.country in countries and not p.eminent]
        a1 = {(p.country, p.admin1) for p in cands if p.admin1}
        if len(a1) == 1 and len(cands) <= 2:
            admin1[a1.pop()] += 1
    return _Context(countries, admin1, hint, points, lats=[a for a, _ in points], lons=[b for _, b in points],
                    fixed=places.memo)


def _score(p: Place, ctx: _Context) -> tuple:
    key = id(p)
    hit = ctx.scores.get(key)
    if hit is None:
        hit = ctx.scores[key] = _score_uncached(p, ctx)
    return hit


def _score_uncached(p: Place, ctx: _Context) -> tuple:
    in_country = ctx.countries.get(p.country, 0)
    in_admin1 = ctx.admin1.get((p.country, p.admin1), 0) if p.admin1 else 0
    dist = 0.0
    if ctx.points:
        # the same float operations as hypot(p.lat - la, p.lon - lo) per point, without a Python loop
        dist = min(map(math.hypot, map(sub, repeat(p.lat), ctx.lats), map(sub, repeat(p.lon), ctx.lons)))
    fixed = ctx.fixed.get(id(p))
    if fixed is None:
        # the parts that depend on the place alone, kept across articles
        fixed = ctx.fixed[id(p)] = (p.eminent, _RANK.get(p.placetype, 1) + p.curated * 0.6,
                                    math.log10((p.population or 0) + 1))
    return (
        (p.country == ctx.hint) * 2 + (in_country > 0), fixed[0], in_admin1 > 0, fixed[1], fixed[2], -dist,
    )


def _candidates(r: _Reading, places: PlaceList) -> list[Place]:
    """The reading's places narrowed by its cues (cached on the reading: shared, never mutated)."""
    if r.cands is None:
        r.cands = _candidates_uncached(r, places)
    return r.cands


def _candidates_uncached(r: _Reading, places: PlaceList) -> list[Place]:
    cands = _every(r, places)
    wanted: tuple[str, ...] = ()
    if r.level == "adm1" or (r.modifier in ("rural", "direction") and r.level is None) or r.suffix == "rural":
        wanted = ("region", "country", "feature", "county")
    elif r.level == "adm2":
        wanted = ("county",)
    elif r.level == "settlement" or r.modifier == "near":
        wanted = _SETTLED
    elif r.level == "centre" and any(p.placetype in _SETTLED and p.major for p in cands):
        wanted = _SETTLED
    elif r.level == "site":
        # a city district is an ADM2 in WOF (Cairo's "حي قصر النيل", Baghdad's "حي الكرادة")
        wanted = ("neighbourhood", "campus", "camp", "airport", "base", "crossing")
        if r.level_word in ("حي", "احياء"):
            wanted += ("county",)
    if r.level == "capital":
        # "العاصمة السعودية الرياض": only a big city follows العاصمة; anything else is an adjective
        return [p for p in cands if p.placetype in _SETTLED and (p.population or 0) >= 100000 or p.curated]
    if wanted:
        narrowed = [p for p in cands if p.placetype in wanted]
        if narrowed:
            return narrowed
        if r.level == "site":
            return []  # "حي X في مدينة Y": an unknown neighbourhood is no village elsewhere; Y is found on its own
    return cands


def _choose(r: _Reading, cands: list[Place], every: list[Place], ctx: _Context) -> Place | None:
    if not cands:
        return None
    best = max(cands, key=lambda p: _score(p, ctx))
    # A governorate named without a cue is its capital city (إدلب، حلب، الرقة): ACLED codes the town.
    if best.placetype in ("region", "county") and r.level not in ("adm1", "adm2") \
            and r.modifier in (None, "near", "between") \
            and r.suffix != "rural":
        same = [p for p in every if p.placetype == "locality" and p.country == best.country and p.major
                and (p.admin1 == best.admin1 or p.admin2 == best.name or (p.population or 0) >= 100000)]
        if same:
            best = max(same, key=lambda p: (p.population or 0, _score(p, ctx)))
    return best


def _common_word(key: str, p: Place | None, cues: _Cues) -> bool:
    """A name news mostly uses as an ordinary word. Countries and governorates are rarely preceded by a
    place noun ("مدينة مصر"), so for them only a low locative share counts."""
    share = cues.common.get(key)
    if share is None:
        return False
    if share >= 0.15 and (p is None or p.placetype in ("country", "region")):
        return False
    return True


def _foreign_to(ctx: _Context, p: Place) -> bool:
    return bool(ctx.countries) and p.country not in ctx.countries


def _accept(r: _Reading, p: Place, cues: _Cues, ctx: _Context, every: list[Place] | None = None,
            anchored: bool = False) -> bool:
    """Precision gate: common words and minor villages need a cue and a plausible country. A village
    placed by the words after it ("بمنطقة برج العرب غرب الإسكندرية") needs only its cue."""
    key = r.match.key
    # the capital of a same-named governorate (القنيطرة، عمران) is as well known as the governorate
    capital = p.placetype == "locality" and any(
        q.placetype == "region" and q.country == p.country and q.admin1 == p.admin1 for q in every or ())
    strong = r.level in _STRONG or r.modifier in ("rural", "direction", "near")
    if r.adjective and p.placetype in ("country", "region", "feature"):
        return False
    # "حي الزمالك": a district cue names the place as surely as "مدينة" (the football club is "نادي الزمالك")
    named = r.level in ("settlement", "adm1", "adm2", "capital") or (r.level == "site" and r.level_word in ("حي", "احياء"))
    if key in cues.stop or len(key.replace(" ", "")) <= 2:
        if not named:
            return False
    if anchored and r.level in _STRONG and not (_foreign_to(ctx, p) and not p.eminent):
        # two signals: a place noun before ("بجبهة المخدرة") and the place that locates it after
        # ("شمال غربي مأرب"): a name that is also a word ("المخدرة": narcotic) is a place here
        return True
    in_admin1 = p.admin1 is not None and ctx.admin1.get((p.country, p.admin1), 0) > 0
    if _common_word(key, p, cues) and not named:
        # a name news mostly uses as a word: a country after a preposition, a town in the article's
        # governorate, a big city that news does name as a place ("ريال مدريد" vs "في مدريد")
        share = cues.common[key]
        if not ((p.placetype in ("country", "region") and r.locative and share >= 0.05)
                or ((capital or (p.population or 0) >= 50000) and r.locative and share >= 0.1)
                or (in_admin1 and (p.population or 0) >= 50000)
                or ((p.population or 0) >= 1000000 and share >= 0.05)):
            return False
    foreign = bool(ctx.countries) and p.country not in ctx.countries
    if p.eminent or capital:
        # a square or camp abroad ("ميدان التحرير" in a Sanaa story) is a namesake
        return not (foreign and p.curated and p.placetype not in ("country", "region", "feature", "locality"))
    if p.major and (ctx.countries or r.level == "settlement"):
        # a town of another country than the article's needs "مدينة X"
        return not foreign or r.level == "settlement"
    if anchored and (strong or r.locative):
        return True
    # a minor village: a locative cue, and the article's country (or governorate) when known
    if foreign:
        return False
    if not ctx.countries and not (r.level in ("settlement",) or r.modifier == "near"):
        return False
    if not in_admin1 and any(c == p.country for c, _ in ctx.admin1) and not (r.level == "settlement" or r.modifier):
        return False  # a village elsewhere in the country, named only with "منطقة"/"في": likely a namesake
    return strong or (r.locative and in_admin1) or (in_admin1 and " " in key)


def _precision(r: _Reading, p: Place) -> tuple[int, int, str | None]:
    cue = r.modifier_word or r.level_word
    gp, wp = p.geo_precision, p.where_prec
    if r.level == "site" and p.placetype == "county":
        gp, wp = 1, 1  # "حي X": a district of a city, a point in town
    town = p.placetype in _SETTLED
    if r.modifier == "between":
        return max(gp, 2), 5, cue
    if p.placetype == "country":
        return 3, (5 if r.modifier == "direction" else 6), cue
    if r.modifier in ("rural", "direction") or r.suffix == "rural":
        if town and r.level not in ("settlement",) and not r.modifier == "rural":
            return 2, 2, cue  # "شمال مدينة عدن" / "شرق سراقب": near the town
        if town and r.modifier == "rural":
            return (3, 4, cue) if (p.population or 0) >= 100000 else (2, 2, cue)
        if r.level == "settlement":
            return 2, 2, cue
        return max(gp, 3 if p.placetype == "region" else 2), max(wp, 4 if p.placetype == "region" else 3), cue
    if r.modifier == "near" or r.suffix == "near":
        if town:
            return 2, 2, cue
        return max(gp, 2), max(wp, 2), cue
    return gp, wp, cue


def _site_start(norm: str, r: _Reading, cues: _Cues) -> int | None:
    """Start of "حي X في مدينة Y" / "دوار X بمدينة Y" when reading r is Y: the site belongs to Y's mention."""
    words = _words_before(norm, r.start, 6)
    if not words:
        return None
    last = words[-1]
    joined_by_b = r.start > 0 and norm[r.start - 1] == "ب" and (r.start < 2 or not norm[r.start - 2].isalnum())
    if last[2] == "في":
        words = words[:-1]
    elif not (r.level is None and norm[last[0]:last[1]].startswith("ب") and last[1] == r.start) and not joined_by_b:
        glued = norm[max(0, r.start - 1):r.start]
        if glued != "ب":
            return None
    for j in range(len(words) - 2, -1, -1):  # at least one word of the site's own name
        for form in _token_forms(words[j][2]):
            if cues.kinds.get((form,)) == "site":
                return words[j][0] + len(words[j][2]) - len(form)
    return None


def _mention(r: _Reading, p: Place, start: int | None = None, end: int | None = None) -> PlaceMention:
    gp, wp, cue = _precision(r, p)
    if r.nisba and cue is None:
        cue = "nisba"
    return PlaceMention(
        start=r.start if start is None else start, end=r.end if end is None else end,
        name_start=r.match.start, name_end=r.match.end, name=p.name, name_ar=p.name_ar, gazetteer_id=p.id,
        country=p.country, admin1=p.admin1, admin2=p.admin2, admin3=None, lat=p.lat, lon=p.lon,
        geo_precision=gp, where_prec=wp, placetype=p.placetype, population=p.population, cue=cue,
    )


_ANCHOR_GAP = re.compile(r"\s*[،,]?\s*(في\s+|ب)?")


def _own_place(r: _Reading, gaz: Gazetteer, ctx: _Context, cues: _Cues) -> Place | None:
    """The place reading r names on its own (no anchor after it), None when the gate rejects it.

    Cached on the reading: the reading before asks for it (as its anchor, or the Y of "بين X و Y"),
    then the main loop asks again."""
    if not r.own_done:
        every = _every(r, gaz.places)
        p = _choose(r, _candidates(r, gaz.places), every, ctx)
        r.own = p if p is not None and _accept(r, p, cues, ctx, every) else None
        r.own_done = True
    return r.own


def _anchor(norm: str, readings: list[_Reading], i: int, gaz: Gazetteer, ctx: _Context, cues: _Cues) -> Place | None:
    """The place right after reading i when joined by ب/في ("X بريف Y", "X في محافظة Y")."""
    if i + 1 >= len(readings):
        return None
    nxt = readings[i + 1]
    # "X في/بمحافظة Y" (only في or the ب of Y's expression between them), or a direction that says
    # where X is: "X غرب الإسكندرية", "X، جنوب كابول"
    gap = norm[readings[i].end:nxt.start]
    joined = _ANCHOR_GAP.fullmatch(gap)
    if not joined or (not joined.group(1) and nxt.modifier != "direction"):
        return None
    return _own_place(nxt, gaz, ctx, cues)


def _second_of_between(norm: str, readings: list[_Reading], i: int, gaz: Gazetteer, ctx: _Context,
                       cues: _Cues) -> tuple[int, Place] | None:
    """The Y of "بين X و Y": the next accepted place joined by و ("بين الحديدة ومدينة حرض": the cue
    word "مدينة" is skipped, it names no place)."""
    for j in range(i + 1, min(i + 4, len(readings))):
        nxt = readings[j]
        gap = norm[readings[i].end:nxt.match.start]
        if len(gap) > 20 or "و" not in gap or any(ch in gap for ch in ".،,؛"):
            return None
        q = _own_place(nxt, gaz, ctx, cues)
        if q is not None:
            return j, q
    return None


def _between(r: _Reading, p: Place, r2: _Reading, q: Place) -> PlaceMention:
    """"بين X و Y": somewhere between two places (UCDP 5): the midpoint, X's record otherwise."""
    m = _mention(r, p, end=r2.end)
    if p.country == q.country and math.hypot(p.lat - q.lat, p.lon - q.lon) < 3:
        m.lat, m.lon = round((p.lat + q.lat) / 2, 4), round((p.lon + q.lon) / 2, 4)
        m.name = f"{p.name} - {q.name}"
        m.name_ar = f"بين {p.name_ar} و{q.name_ar}"
        if p.admin1 != q.admin1:
            m.admin1 = m.admin2 = None
        elif p.admin2 != q.admin2:
            m.admin2 = None
    return m


def _lies_in(c: Place, anchor: Place, modifier: str | None) -> bool:
    """Whether place c can lie in (or, after a direction word, towards) the anchor place."""
    if c.country != anchor.country:
        return False
    if anchor.placetype == "country" or anchor.where_prec >= 5:  # a country, or "صعيد مصر", "جنوب اليمن"
        return True
    dist = math.hypot(c.lat - anchor.lat, c.lon - anchor.lon)
    coarse = c.placetype in ("feature", "region")  # "القلمون في محافظة دمشق": a mountain region spans borders
    if modifier == "direction":  # "X بجنوب صنعاء": X lies south of Sanaa, maybe in another governorate
        return dist < (2.5 if coarse else 1.5)
    if coarse:
        return dist < 1.0
    return bool(c.admin1 and c.admin1 == anchor.admin1) or dist < 0.25


_NEEDS_CUE: dict[str, bool] = {}


def _needs_cue(key: str, payloads: tuple[int, ...], cues: _Cues, gaz: Gazetteer) -> bool:
    """A name the precision gate takes only after a cue: a stop word, or a name of minor villages only."""
    hit = _NEEDS_CUE.get(key)
    if hit is None:
        hit = key in cues.stop or len(key.replace(" ", "")) <= 2 or not any(
            gaz.places[i].major for i in payloads if i >= 0)
        if gaz is load_gazetteer():
            _NEEDS_CUE[key] = hit
    return hit


def _ends_cue(word: str, cues: _Cues) -> bool:
    """Whether a word (as written, or without its proclitics) is the last word of some cue (cached)."""
    can = cues.ends_cue.get(word)
    if can is None:
        if len(cues.ends_cue) >= 200_000:
            cues.ends_cue.clear()  # a long corpus run: keep memory bounded
        can = cues.ends_cue[word] = word in cues.last_words or _token_forms(word)[-1] in cues.last_words
    return can


def _worth_reading(norm: str, start: int, key: str, payloads: tuple[int, ...], tx: _Tokens, cues: _Cues,
                   gaz: Gazetteer) -> bool:
    """Cheap pre-filter: most name hits in news are village names that are also words ("قال", "عمل")
    with no cue before them; the gate would reject them after the full cue reading, so skip them here.
    (It takes the hit's fields, not a `Match`: only the hits it keeps are made into one.)"""
    if " " in key or not _needs_cue(key, payloads, cues, gaz):
        return True
    ti, ts = tx.token_start(start)
    if ts < start:
        return True  # a proclitic on the name itself ("بقرية", "وحلب"): read it
    if ti == 0 or not tx.joined[ti]:
        return False
    return _ends_cue(tx.toks[ti - 1][2], cues)


def find_places(norm: str, country_hint: str | None = None, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions in normalised text, in order, each resolved to one gazetteer place."""
    gaz = gazetteer or load_gazetteer()
    cues = load_cues()
    tx = _Tokens(norm)
    readings = [_read_cues(norm, Match(*hit), cues, tx) for hit in gaz.matcher.find_spans(norm, tx.toks)
                if NOT_PLACE not in hit[3] and _worth_reading(norm, hit[0], hit[2], hit[3], tx, cues, gaz)]
    # "ريفي إدلب وحلب", "محافظتي إب وتعز": a cue carries over to a name joined by و
    for prev, cur in zip(readings, readings[1:], strict=False):
        gap = norm[prev.end:cur.match.start]
        if gap.strip() in ("و",) or (gap.strip() == "" and norm[cur.match.start - 1:cur.match.start] == "و"):
            if (prev.modifier in ("rural", "direction") or prev.level in ("adm1", "settlement")) and \
                    not cur.level and not cur.modifier:
                cur.modifier, cur.modifier_word = prev.modifier, prev.modifier_word
                cur.level, cur.level_word = prev.level, prev.level_word
                cur.locative = True
    ctx = _context(readings, gaz.places, country_hint, cues)
    out: list[PlaceMention] = []
    i = 0
    while i < len(readings):
        r = readings[i]
        cands = _candidates(r, gaz.places)
        anchor = _anchor(norm, readings, i, gaz, ctx, cues) if cands else None
        if anchor is not None and any(c.placetype == "country" for c in cands):
            anchor = None  # "في العراق شمال ...": a country name is not a village near what follows
        if anchor is not None:
            # "بلدة الطيبة بالغوطة الغربية", "قرية X في ريف حمص": the place that follows says where X is
            near = [c for c in cands if _lies_in(c, anchor, readings[i + 1].modifier)]
            # none there: the village is missing from the gazetteer, and a namesake elsewhere would be wrong;
            # several: the highest kind (a governorate over its capital's district), then the nearest
            top = max((_RANK.get(c.placetype, 1) for c in near), default=0)
            if near or not (r.level in ("adm1", "adm2") or any(c.eminent for c in cands)):
                # (a governorate or a city is no unknown village: an odd anchor does not remove it)
                cands = sorted((c for c in near if _RANK.get(c.placetype, 1) == top),
                               key=lambda c: math.hypot(c.lat - anchor.lat, c.lon - anchor.lon))[:1]
        if anchor is None:
            p = _own_place(r, gaz, ctx, cues)
        else:
            p = _choose(r, cands, _every(r, gaz.places), ctx)
            if p is not None and not _accept(r, p, cues, ctx, _every(r, gaz.places), anchored=True):
                p = None
        if p is None:
            i += 1
            continue
        if r.modifier == "between":
            other = _second_of_between(norm, readings, i, gaz, ctx, cues)
            if other is not None:
                j, q = other
                out.append(_between(r, p, readings[j], q))
                i = j + 1
                continue
        site = _site_start(norm, r, cues) if p.placetype in _SETTLED and r.modifier is None else None
        if site is not None and out and out[-1].end > site:
            site = None  # the site is a known neighbourhood, already its own mention
        out.append(_mention(r, p, start=site))
        i += 1
    return _merge_containers(norm, _vague_areas(norm, out, ctx, gaz))


_CONTAINER_GAP = re.compile(r"\s*(?:في\s+|ب|داخل\s+)")
_DESCRIPTOR_GAP = re.compile(r"\s*[،,]?\s*(?:ب|في\s+)?")
# "محافظة إب المحاذية للضالع": the neighbour only describes the place before it
_NEIGHBOUR_GAP = re.compile(r"\s*[،,]?\s*(?:ال)?(?:محاذي|مجاور|متاخم|قريب|ملاصق)[هة]?\s+(?:ل|من\s+|مع\s+)?")
_DIRECTIONS = {"شمال": "N", "جنوب": "S", "شرق": "E", "غرب": "W", "وسط": "C"}


def _inside(x: PlaceMention, y: PlaceMention) -> bool:
    """Whether mention y names a place that contains x ("الهبيط في إدلب", "رادع في محافظة البيضاء")."""
    if x.country != y.country or x.placetype == "country" or (x.lat, x.lon) == (y.lat, y.lon):
        return False
    if y.placetype == "country" or (y.where_prec >= 5 and y.placetype != "locality"):
        return True
    if x.placetype in ("neighbourhood", "campus") and y.placetype in _SETTLED:
        return False  # "حي X في مدينة Y": the town's event (SPEC: sites inside a town are the town's)
    if y.geo_precision >= 3 or y.placetype in ("region", "county", "feature"):
        return bool(x.admin1 and x.admin1 == y.admin1) or math.hypot(x.lat - y.lat, x.lon - y.lon) < 0.5
    dist = math.hypot(x.lat - y.lat, x.lon - y.lon)
    if y.placetype == "locality" and x.placetype != "locality":
        return dist < 0.2
    # "مدينة الهبيط في إدلب": a town "in" a bigger city of its governorate means in that governorate
    return (x.placetype == "locality" and y.placetype == "locality" and bool(x.admin1) and x.admin1 == y.admin1
            and (y.population or 0) > max(x.population or 0, 20000) and dist < 1.0)


def _merge_containers(norm: str, out: list[PlaceMention]) -> list[PlaceMention]:
    """"مدينة الهبيط في إدلب", "منطقة باراكي باراك بإقليم لوجار، جنوب كابول": the places after the first
    say where it is; they become part of its mention instead of competing with it as event places."""
    merged: list[PlaceMention] = []
    for m in out:
        if merged:
            prev = merged[-1]
            gap = norm[prev.end:m.start]
            # "عدن، جنوبي اليمن": a direction cue, or a curated part of a country ("جنوب اليمن")
            direction = (m.cue or m.name_ar if m.geo_precision >= 3 else m.cue or "").split(" ")[0].removesuffix("ي") \
                in _DIRECTIONS
            if (_CONTAINER_GAP.fullmatch(gap) and _inside(prev, m)) or (
                    _NEIGHBOUR_GAP.fullmatch(gap) and prev.placetype != "country") or (
                    direction and _DESCRIPTOR_GAP.fullmatch(gap) and prev.country == m.country
                    and prev.placetype not in ("country", "area") and prev.geo_precision <= m.geo_precision
                    and (m.placetype in ("country", "area") or m.cue is None
                         or math.hypot(prev.lat - m.lat, prev.lon - m.lon) < 2)):
                prev.end = m.end
                continue
        merged.append(m)
    return merged


# "بشمال البلاد", "جنوبي البلاد", "المحافظات الجنوبية": a part of the article's country
_VAGUE = re.compile(
    r"(?<!\w)(?:[وفبل]|لل|في\s+|وفي\s+)?(?P<area>(?P<d1>شمال|جنوب|شرق|غرب|وسط)ي?\s+البلاد"
    r"|ال(?:محافظات|مناطق|اقاليم|ولايات)\s+ال(?P<d2>شمال|جنوب|شرق|غرب)يه)(?!\w)")


_VAGUE_PLURALS = ("المحافظات", "المناطق", "الاقاليم", "الولايات")  # what `_VAGUE` needs without البلاد


@cache
def _country_parts(cc: str) -> dict[str, tuple[float, float]]:
    """Approximate centres of the north/south/east/west/centre of a country: the mean position of the
    capitals of its governorates in that third of its extent (the whole country for the centre)."""
    gaz = load_gazetteer()
    pts = [(p.lat, p.lon) for p in gaz.places.of_type("region") if p.country == cc and not p.curated]
    if len(pts) < 3:
        return {}
    lats, lons = [a for a, _ in pts], [b for _, b in pts]
    lo_lat, hi_lat, lo_lon, hi_lon = min(lats), max(lats), min(lons), max(lons)

    def mean(sel: list[tuple[float, float]]) -> tuple[float, float]:
        return round(sum(a for a, _ in sel) / len(sel), 2), round(sum(b for _, b in sel) / len(sel), 2)

    third_lat, third_lon = (hi_lat - lo_lat) / 3, (hi_lon - lo_lon) / 3
    return {
        "N": mean([q for q in pts if q[0] >= hi_lat - third_lat]), "S": mean([q for q in pts if q[0] <= lo_lat + third_lat]),
        "E": mean([q for q in pts if q[1] >= hi_lon - third_lon]), "W": mean([q for q in pts if q[1] <= lo_lon + third_lon]),
        "C": mean(pts),
    }


_PART_NAMES = {"N": "Northern", "S": "Southern", "E": "Eastern", "W": "Western", "C": "Central"}


def _country_place(cc: str, gaz: Gazetteer) -> Place | None:
    return _countries(gaz).get(cc)


@cache
def _countries(gaz: Gazetteer) -> dict[str, Place]:
    out: dict[str, Place] = {}
    for p in gaz.places.of_type("country"):
        if p.curated:
            out.setdefault(p.country, p)
    return out


def _part_mention(start: int, end: int, cc: str, part: str, gaz: Gazetteer, cue: str | None) -> PlaceMention | None:
    """The north/south/... of a country: a curated region when there is one ("جنوب اليمن" is the former
    South, not the geographic south), else the centre of that third of the country's governorates."""
    country = _country_place(cc, gaz)
    if country is None:
        return None
    word = {v: k for k, v in _DIRECTIONS.items()}[part]
    name_ar = f"{word} {country.name_ar}"
    known = gaz.matcher.payloads(normalize_key(name_ar))
    curated = next((gaz.places[i] for i in known if i >= 0 and gaz.places[i].curated), None)
    if curated is not None:
        lat, lon, name, pid = curated.lat, curated.lon, curated.name, curated.id
    else:
        centre = _country_parts(cc).get(part)
        if centre is None:
            return None
        (lat, lon), name, pid = centre, f"{_PART_NAMES[part]} {country.name}", f"rasd:{cc}:{part}"
    return PlaceMention(
        start=start, end=end, name_start=start, name_end=end, name=name, name_ar=name_ar, gazetteer_id=pid,
        country=cc, admin1=None, admin2=None, admin3=None, lat=lat, lon=lon, geo_precision=3, where_prec=5,
        placetype="area", population=None, cue=cue)


def _vague_areas(norm: str, out: list[PlaceMention], ctx: _Context, gaz: Gazetteer) -> list[PlaceMention]:
    """"شمال سوريا" and, in an article about one country, "بشمال البلاد" / "المحافظات الجنوبية": the
    part of the country (ACLED 3, UCDP 5) rather than the whole country or nothing."""
    for k, m in enumerate(out):
        if m.placetype == "country" and m.cue:
            part = _DIRECTIONS.get(m.cue.split(" ")[0].removesuffix("ي"))
            if part and len(m.cue.split(" ")) == 1:
                pm = _part_mention(m.start, m.end, m.country, part, gaz, m.cue)
                if pm is not None:
                    pm.name_start, pm.name_end = m.name_start, m.name_end
                    out[k] = pm
    # (a cheap test first: "يه" is in nearly every text, the words the pattern needs are not)
    if "البلاد" not in norm and ("يه" not in norm or not any(w in norm for w in _VAGUE_PLURALS)):
        return out
    cc = ctx.hint or (ctx.countries.most_common(1)[0][0] if ctx.countries else None)
    if cc is None:
        return out
    extra = []
    for mt in _VAGUE.finditer(norm):
        if any(m.start < mt.end() and mt.start() < m.end for m in out):
            continue
        word = mt.group("d1") or mt.group("d2")
        pm = _part_mention(mt.start("area"), mt.end(), cc, _DIRECTIONS[word], gaz, word)
        if pm is not None:
            extra.append(pm)
    return sorted(out + extra, key=lambda m: m.start) if extra else out
