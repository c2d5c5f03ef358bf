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
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rasd.places.gazetteer import Gazetteer, Place, load_gazetteer
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
    max_len: int


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
        elif kind.startswith("suffix_"):
            suffixes[tuple(key.split())] = kind[len("suffix_"):]
        else:
            kinds[tuple(key.split())] = kind
    return _Cues(kinds, suffixes, frozenset(stop), max(len(k) for k in kinds))


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


def _token_forms(word: str) -> tuple[str, ...]:
    stripped = strip_clitics(word)
    return (word, stripped) if stripped != word else (word,)


def _read_cues(norm: str, m: Match[int], cues: _Cues) -> _Reading:
    r = _Reading(m, m.start, m.end)
    # the clitics glued to the toponym itself: "بإدلب", "وحلب"
    tok_start = m.start
    while tok_start > 0 and norm[tok_start - 1].isalnum():
        tok_start -= 1
    glued = norm[tok_start:m.start]
    if "ب" in glued or glued.endswith("ل"):
        r.locative = True
    words = _words_before(norm, tok_start, 5)
    pos = len(words)

    def take(allowed: tuple[str, ...]) -> tuple[str, str, int] | None:
        for n in range(min(cues.max_len, pos), 0, -1):
            seq = words[pos - n:pos]
            variants = [tuple(w[2] for w in seq)]
            first_forms = _token_forms(seq[0][2])
            for f in first_forms[1:]:
                variants.append((f, *variants[0][1:]))
            for v in variants:
                kind = cues.kinds.get(v)
                if kind in allowed:
                    glue = seq[0][2][: len(seq[0][2]) - len(v[0])]
                    if "ب" in glue or glue.endswith("ل"):
                        r.locative = True
                    return kind, " ".join(v), n
        return None

    hit = take(("settlement", "adm1", "adm2", "site", "capital", "area", "centre"))
    if hit:
        r.level, r.level_word, n = hit
        r.start = words[pos - n][0]
        pos -= n
    hit = take(("rural", "direction", "near", "between", "locative"))
    if hit and hit[0] == "locative":
        r.locative = True
    elif hit:
        r.modifier, r.modifier_word, n = hit
        r.start = words[pos - n][0]
        pos -= n
        if r.modifier in ("rural", "direction", "near"):
            r.locative = True
            more = take(("locative",))
            if more:
                r.locative = True
    if not r.level and not r.modifier and words:
        prev = strip_clitics(words[-1][2])
        if m.key.startswith("ال") and prev.startswith("ال") and (prev,) not in cues.kinds and not glued:
            r.adjective = True
    # words after the toponym: "ريف حلب الغربي", "دمشق وريفها", "زنجبار وضواحيها"
    after = norm[m.end:m.end + 40]
    toks = [(mm.start(), mm.end(), mm.group(0)) for mm in _WORD.finditer(after)]
    if toks and after[: toks[0][0]].strip(_QUOTES) == "":
        for n in (2, 1):
            seq = toks[:n]
            if len(seq) < n or any(after[a[1]:b[0]].strip() for a, b in zip(seq, seq[1:])):
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


def _context(readings: list[_Reading], places: tuple[Place, ...], hint: str | None) -> _Context:
    """Countries and governorates the article is about, from its unambiguous well-known places."""
    countries: Counter = Counter()
    admin1: Counter = Counter()
    points: list[tuple[float, float]] = []
    for r in readings:
        cands = [places[i] for i in r.match.payloads if places[i].major and places[i].placetype != "neighbourhood"]
        if not cands or r.adjective:
            continue
        ccs = {p.country for p in cands}
        if len(ccs) == 1:
            countries[ccs.pop()] += 1
        a1 = {(p.country, p.admin1) for p in cands if p.placetype != "country"}
        if len(a1) == 1:
            admin1[a1.pop()] += 1
            best = max(cands, key=lambda p: (_RANK.get(p.placetype, 1), p.population or 0))
            points.append((best.lat, best.lon))
    if hint:
        countries[hint] += 3
    return _Context(countries, admin1, hint, points)


def _score(p: Place, ctx: _Context) -> tuple:
    in_country = ctx.countries.get(p.country, 0)
    in_admin1 = ctx.admin1.get((p.country, p.admin1), 0) if p.admin1 else 0
    dist = 0.0
    if ctx.points:
        dist = min(math.hypot(p.lat - la, p.lon - lo) for la, lo in ctx.points)
    return (
        (p.country == ctx.hint) * 2 + (in_country > 0), in_admin1 > 0, _RANK.get(p.placetype, 1) + p.curated * 0.6,
        math.log10((p.population or 0) + 1), -dist,
    )


def _candidates(r: _Reading, places: tuple[Place, ...]) -> list[Place]:
    cands = [places[i] for i in r.match.payloads]
    wanted: tuple[str, ...] = ()
    if r.level == "adm1" or (r.modifier in ("rural", "direction") and r.level is None) or r.suffix == "rural":
        wanted = ("region", "country", "feature", "county")
    elif r.level == "adm2":
        wanted = ("county",)
    elif r.level in ("settlement", "capital", "centre") or r.modifier == "near":
        wanted = _SETTLED
    elif r.level == "site":
        wanted = ("neighbourhood", "campus", "camp", "airport", "base", "crossing")
    if wanted:
        narrowed = [p for p in cands if p.placetype in wanted]
        if narrowed:
            return narrowed
        if r.level == "site":
            return []  # "حي X في مدينة Y": an unknown neighbourhood is no village elsewhere; Y is found on its own
    return cands


def _choose(r: _Reading, cands: list[Place], ctx: _Context) -> Place | None:
    if not cands:
        return None
    best = max(cands, key=lambda p: _score(p, ctx))
    # A governorate named without a cue is its capital city (إدلب، حلب، الرقة): ACLED codes the town.
    if best.placetype in ("region", "county") and r.level not in ("adm1", "adm2") and r.modifier is None \
            and r.suffix != "rural":
        same = [p for p in (cands if r.level else r.match.payloads and _all(r, cands)) if p.placetype == "locality"
                and p.country == best.country and (p.admin1 == best.admin1 or p.admin2 == best.name)]
        if same:
            best = max(same, key=lambda p: (p.population or 0, _score(p, ctx)))
    return best


def _all(r: _Reading, cands: list[Place]) -> list[Place]:
    return cands


def _accept(r: _Reading, p: Place, cues: _Cues, ctx: _Context) -> bool:
    """Precision gate: common words and minor villages need a cue and a plausible country."""
    key = r.match.key
    strong = r.level in _STRONG or r.modifier in ("rural", "direction", "near", "between")
    if r.adjective and p.placetype in ("country", "region", "feature"):
        return False
    if key in cues.stop or len(key.replace(" ", "")) <= 2:
        if not (r.level in ("settlement", "adm1", "adm2", "capital") or (r.level == "area" and p.major)):
            return False
    foreign = bool(ctx.countries) and p.country not in ctx.countries
    if p.major:
        return not (foreign and p.placetype not in ("country",) and (p.population or 0) < 100000 and not strong)
    # a minor village: a locative cue, and the article's country (or governorate) when known
    if foreign:
        return False
    if not ctx.countries and not (r.level in ("settlement",) or r.modifier == "near"):
        return False
    in_admin1 = ctx.admin1.get((p.country, p.admin1), 0) > 0 if p.admin1 else False
    return strong or (r.locative and in_admin1) or (in_admin1 and " " in key)


def _precision(r: _Reading, p: Place) -> tuple[int, int, str | None]:
    cue = r.modifier_word or r.level_word
    gp, wp = p.geo_precision, p.where_prec
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


def _mention(r: _Reading, p: Place, start: int | None = None, end: int | None = None) -> PlaceMention:
    gp, wp, cue = _precision(r, p)
    return PlaceMention(
        start=r.start if start is None else start, end=r.end if end is None else end,
        name_start=r.match.start, name_end=r.match.end, name=p.name, name_ar=p.name_ar, gazetteer_id=p.id,
        country=p.country, admin1=p.admin1, admin2=p.admin2, admin3=None, lat=p.lat, lon=p.lon,
        geo_precision=gp, where_prec=wp, placetype=p.placetype, population=p.population, cue=cue,
    )


def find_places(norm: str, country_hint: str | None = None, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions in normalised text, in order, each resolved to one gazetteer place."""
    gaz = gazetteer or load_gazetteer()
    cues = load_cues()
    readings = [_read_cues(norm, m, cues) for m in gaz.matcher.find(norm)]
    # "ريفي إدلب وحلب", "محافظتي إب وتعز": a cue carries over to a name joined by و
    for prev, cur in zip(readings, readings[1:]):
        gap = norm[prev.end:cur.match.start]
        if gap.strip() in ("و",) or (gap.strip() == "" and norm[cur.match.start - 1:cur.match.start] == "و"):
            if (prev.modifier in ("rural", "direction") or prev.level in ("adm1", "settlement")) and \
                    not cur.level and not cur.modifier:
                cur.modifier, cur.modifier_word = prev.modifier, prev.modifier_word
                cur.level, cur.level_word = prev.level, prev.level_word
                cur.locative = True
    ctx = _context(readings, gaz.places, country_hint)
    out: list[PlaceMention] = []
    i = 0
    while i < len(readings):
        r = readings[i]
        p = _choose(r, _candidates(r, gaz.places), ctx)
        if p is None or not _accept(r, p, cues, ctx):
            i += 1
            continue
        if r.modifier == "between" and i + 1 < len(readings):
            nxt = readings[i + 1]
            gap = norm[r.end:nxt.match.start]
            if len(gap) <= 12 and "و" in gap:
                out.append(_mention(r, p, end=nxt.end))
                i += 2
                continue
        out.append(_mention(r, p))
        i += 1
    return out
