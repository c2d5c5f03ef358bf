"""The packaged gazetteer: WOF/GeoNames index plus the curated TSV, loaded once.

The index (`rasd/data/gazetteer.tsv.gz`, built by `scripts/build_gazetteer.py`) holds normalised Arabic
keys, so loading is a plain read; the curated list (`lexicons/places_curated.tsv`) is read at load time so
that an analyst can add a camp or a mountain without rebuilding anything.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import compress
from operator import itemgetter
from typing import overload

from rasd.text.matcher import ARTICLE, ARTICLE_PREFIXES, BARE_PREFIXES, Match
from rasd.text.memo import lookup_all
from rasd.text.normalize import normalize_key

NOT_PLACE = -1
# Default ACLED geo_precision / UCDP where_prec of a place named on its own.
DEFAULT_PRECISION = {
    "country": (3, 6), "region": (3, 4), "county": (2, 3), "locality": (1, 1), "neighbourhood": (1, 1),
    "campus": (1, 1), "feature": (2, 2), "camp": (1, 1), "airport": (1, 1), "base": (1, 1), "crossing": (1, 1),
}


_TOKEN = re.compile(r"[^\W_]+")
_PREFIXES = BARE_PREFIXES | ARTICLE_PREFIXES
# every leading part of a valid proclitic chain ("و", "وب", "وبا"): splitting a word stops at the first miss
_PREFIX_STEMS = frozenset(p[:i] for p in _PREFIXES for i in range(len(p) + 1))
_PLAN_CACHE_SIZE = 200_000  # distinct words whose matcher plan is kept (a few tens of MB at most)


_Hit = tuple[int, int, str, tuple[int, ...]]  # a `Match` before it is kept: start, end, key, payloads


# one proclitic split of a word: (prefix length, prefix, rest, second words of longer names, single hits)
_Step = tuple[int, str, str, frozenset[str], tuple[tuple[int, str, tuple[int, ...]], ...]]


def _longest_first(hit: _Hit) -> tuple[int, int]:
    return hit[0] - hit[1], hit[0]


class WordIndex:
    """Gazetteer names indexed by their first word: a text is read word by word (one dict look-up per
    word and proclitic split) instead of an Aho-Corasick scan that fires on every substring of every
    word; building it is a few dict inserts per name, which keeps loading well under a second.

    Same contract as `PhraseMatcher.find`: a name may carry the proclitics و ف ب ل ك (and ال when it is
    written without it); a name written with the article needs it (or the ل of لل) in the text: "حراك"
    alone is a word, not the village "الحراك".
    """

    def __init__(self, entries: list[tuple[str, int]]) -> None:  # keys are already normalised
        payloads: dict[str, list[int]] = {}
        for key, payload in entries:
            payloads.setdefault(key, []).append(payload)
        self._payloads = {k: tuple(v) for k, v in payloads.items()}
        # single-word names by their word, longer names by their first two words (a name list under "تل"
        # or "عين" alone would be hundreds long)
        index: dict[str, list[tuple[str, str, bool]]] = {}
        for key in self._payloads:
            for surface, stripped in ((key, False), (key[2:], True)):
                if stripped and not (key.startswith(ARTICLE) and len(key) > 4 and key[2:] not in self._payloads):
                    continue
                head = " ".join(surface.split(" ", 2)[:2])
                index.setdefault(head, []).append((surface, key, stripped))
        for lst in index.values():
            lst.sort(key=lambda e: -len(e[0]))
        self._index = index
        # first word -> the second words of the longer names it starts: "في", "تل", "عين" start names,
        # but only a few words may follow them, so most look-ups need no string concatenation
        seconds: dict[str, set[str]] = {}
        for h in index:
            if " " in h:
                first, second = h.split(" ", 1)
                seconds.setdefault(first, set()).add(second)
        self._seconds = {k: frozenset(v) for k, v in seconds.items()}
        self._plans: dict[str, tuple[_Step, ...]] = {}  # word -> `_plan(word)`

    def __len__(self) -> int:
        return len(self._payloads)

    def payloads(self, key: str) -> tuple[int, ...]:
        """The places listed under a normalised name (empty when none)."""
        return self._payloads.get(key, ())

    def keys(self) -> list[str]:
        return list(self._payloads)

    def _plan(self, word: str) -> tuple[_Step, ...]:
        """What a word can start, worked out once per distinct word (`_hits` keeps it in `_plans`): for
        each valid proclitic split, the single-word hits it yields (offsets relative to the word) and the
        second words of the longer names that may start there. Single-word hits depend on the word alone,
        so only names of several words need the text; most words yield nothing and cost one dict look-up
        per occurrence."""
        index = self._index
        steps = []
        for plen in range(0, len(word) - 1):
            prefix = word[:plen]
            if prefix not in _PREFIX_STEMS:
                break
            if plen and prefix not in _PREFIXES:
                continue
            form = word[plen:]
            multi = self._seconds.get(form, frozenset())  # (empty: no longer name starts here)
            singles = []
            for surface, key, stripped in index.get(form, ()):
                start = plen  # a single-word name ends with the word (surface == form)
                if stripped:
                    # "بالرقة" / "للرقة": the article (or the ل of لل) is in the text
                    if prefix.endswith(ARTICLE):
                        start = plen - 2
                    elif prefix.endswith("لل"):
                        start = plen - 1
                    elif not (prefix.endswith("ل") and surface.startswith("ل")):  # "للواء" = ل + اللواء
                        continue
                elif prefix and prefix not in BARE_PREFIXES and key.startswith(ARTICLE):
                    continue
                singles.append((start, key, self._payloads[key]))
            if multi or singles:
                steps.append((plen, prefix, form, multi, tuple(singles)))
        return tuple(steps)

    def find_all(self, text: str, toks: list[tuple[int, int, str]] | None = None) -> list[Match[int]]:
        """Every word-aligned hit, possibly overlapping (`toks`: the text's words, when already split)."""
        return [Match(*hit) for hit in self._hits(text, toks)]

    def _hits(self, text: str, toks: list[tuple[int, int, str]] | None) -> list[_Hit]:
        """`find_all` as plain tuples: `find` keeps about half of them, so only those become `Match`es.

        Hits come in the order of the words, then of the proclitic splits, names of several words before
        single words (the order `find` breaks ties by)."""
        hits: list[_Hit] = []
        append = hits.append
        n = len(text)
        index = self._index
        if toks is None:
            toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        last = len(toks) - 1
        # look every word's plan up at C speed, fill in the words never seen, then visit only the words
        # that start something (about a third of a text's words)
        plan_of = lookup_all(self._plans, list(map(itemgetter(2), toks)), self._plan, _PLAN_CACHE_SIZE)
        for i in compress(range(len(plan_of)), plan_of):
            s, e, _word = toks[i]
            for plen, prefix, form, multi, singles in plan_of[i]:
                if multi and i < last and toks[i + 1][2] in multi and toks[i + 1][0] == e + 1 and text[e] == " ":
                    longer = index.get(form + " " + toks[i + 1][2])
                    if longer:
                        a = s + plen
                        for surface, key, stripped in longer:
                            end = a + len(surface)
                            if end > n or (end < n and text[end].isalnum() and text[end] != "_") \
                                    or not text.startswith(surface, a):
                                continue
                            start = a
                            if stripped:
                                if prefix.endswith(ARTICLE):
                                    start = a - 2
                                elif prefix.endswith("لل"):
                                    start = a - 1
                                elif not (prefix.endswith("ل") and surface.startswith("ل")):
                                    continue
                            elif prefix and prefix not in BARE_PREFIXES and key.startswith(ARTICLE):
                                continue
                            append((start, end, key, self._payloads[key]))
                for start, key, payloads in singles:
                    append((s + start, e, key, payloads))
        return hits

    def find(self, text: str, toks: list[tuple[int, int, str]] | None = None) -> list[Match[int]]:
        """Leftmost-longest non-overlapping hits, in text order."""
        return [Match(*hit) for hit in self.find_spans(text, toks)]

    def find_spans(self, text: str, toks: list[tuple[int, int, str]] | None = None) -> list[_Hit]:
        """`find` as (start, end, key, payloads) tuples: the geoparser drops most hits unread, so it
        makes a `Match` only of those it keeps."""
        chosen: list[_Hit] = []
        taken = bytearray(len(text) + 1)
        for hit in sorted(self._hits(text, toks), key=_longest_first):
            start, end = hit[0], hit[1]
            if taken.find(1, start, end) < 0:
                chosen.append(hit)
                taken[start:end] = b"\x01" * (end - start)
        chosen.sort(key=itemgetter(0))
        return chosen


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    name_ar: str
    placetype: str
    country: str
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int | None
    geo_precision: int
    where_prec: int
    curated: bool = False

    @property
    def major(self) -> bool:
        """A place well known enough to be named without a locative cue."""
        if self.curated or self.placetype in ("country", "region", "county"):
            return True
        return (self.population or 0) >= 5000

    @property
    def eminent(self) -> bool:
        """A place that tells which country an article is about (a country, a governorate, a city)."""
        if self.curated or self.placetype in ("country", "region"):
            return True
        return (self.population or 0) >= 100000


class PlaceList(Sequence[Place]):
    """The gazetteer's places, parsed on first use: an article touches a few hundred of 65k records, so
    loading keeps the raw rows and builds a `Place` only when the geoparser asks for it."""

    def __init__(self, rows: list[str | Place]) -> None:
        self._rows = rows
        self._by_type: dict[str, list[Place]] = {}
        # values the geoparser derives from a place alone, by id(place): safe, as the list keeps every
        # place it has parsed alive for as long as it lives
        self.memo: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Place: ...

    @overload
    def __getitem__(self, i: slice) -> list[Place]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._rows)))]
        row = self._rows[i]
        if isinstance(row, str):
            row = self._rows[i] = _parse(row)
        return row

    def many(self, idxs: Iterable[int]) -> list[Place]:
        """The places at several indices (a name's payloads): one call instead of one `[i]` each."""
        rows = self._rows
        out = []
        for i in idxs:
            row = rows[i]
            if row.__class__ is str:
                row = rows[i] = _parse(row)
            out.append(row)
        return out

    def __iter__(self) -> Iterator[Place]:
        for i in range(len(self._rows)):
            yield self[i]

    def of_type(self, placetype: str) -> list[Place]:
        """Every place of one placetype (countries, regions: a few hundred), without parsing the rest."""
        found = self._by_type.get(placetype)
        if found is None:
            tag = f"\t{placetype}\t"
            found = self._by_type[placetype] = [
                self[i] for i, row in enumerate(self._rows)
                if (row.placetype == placetype if isinstance(row, Place) else tag in row and row.split("\t", 5)[4] == placetype)
            ]
        return found


def _parse(line: str) -> Place:
    (pid, name, name_ar, _keys, pt, cc, a1, a2, lat, lon, pop) = line.split("\t")
    gp, wp = DEFAULT_PRECISION.get(pt, (1, 1))
    return Place(pid, name, name_ar, pt, cc, a1 or None, a2 or None, float(lat), float(lon),
                 int(pop) if pop else None, gp, wp)


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: @cache on it must not hash 65k places
class Gazetteer:
    places: PlaceList
    matcher: WordIndex

    def by_id(self, pid: str) -> Place | None:
        return _id_index(self).get(pid)


@cache
def _id_index(gaz: Gazetteer) -> dict[str, Place]:
    return {p.id: p for p in gaz.places}


def _floor(value: str) -> float:
    return float(value) if value else 0.0


@cache
def load_gazetteer() -> Gazetteer:
    """Read the packaged index and the curated list into one phrase matcher (cached)."""
    rows: list[str | Place] = []
    entries: list[tuple[str, int]] = []
    overrides: dict[str, Place] = {}
    override_idx: dict[str, int] = {}
    curated_rows = _curated_rows()
    for row in curated_rows:
        if row.get("override"):
            overrides[row["override"]] = _curated_place(row)
    data = resources.files("rasd").joinpath("data", "gazetteer.tsv.gz")
    with data.open("rb") as raw:
        lines = gzip.decompress(raw.read()).decode("utf-8").split("\n")
    for line in lines[1:]:
        if not line:
            continue
        pid, _, _, keys, _ = line.split("\t", 4)
        idx = len(rows)
        if pid in overrides:
            rows.append(overrides.pop(pid))
            override_idx[pid] = idx
        else:
            rows.append(line)
        for key in keys.split("|"):
            if key:
                entries.append((key, idx))
    for row in curated_rows:
        if row.get("override"):
            # an override's names are extra spellings of the record it replaces ("رادع" for رداع)
            idx = override_idx.get(row["override"])
        else:
            idx = len(rows)
            rows.append(_curated_place(row))
        if idx is None:
            continue
        for name in row["name_ar"].split("|"):
            entries.append((normalize_key(name), idx))
    # phrases that contain a place name but name no place ("مسقط رأس"): payload NOT_PLACE, so the
    # matcher's longest match swallows the name and the geoparser skips it
    for phrase in _not_place_phrases():
        entries.append((normalize_key(phrase), NOT_PLACE))
    return Gazetteer(PlaceList(rows), WordIndex(entries))


def _not_place_phrases() -> list[str]:
    text = resources.files("rasd").joinpath("lexicons", "place_cues.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [row["cue"] for row in csv.DictReader(lines, delimiter="\t") if (row.get("kind") or "").strip() == "not_place"]


def _curated_rows() -> list[dict[str, str]]:
    text = resources.files("rasd").joinpath("lexicons", "places_curated.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def _curated_place(row: dict[str, str]) -> Place:
    pt = row["placetype"]
    gp, wp = DEFAULT_PRECISION.get(pt, (2, 2))
    first = row["name_ar"].split("|")[0]
    pid = row.get("override") or "cur:" + normalize_key(first).replace(" ", "_")
    return Place(
        pid, row["name"], first, pt, row["country"], row.get("admin1") or None, row.get("admin2") or None,
        _floor(row["lat"]), _floor(row["lon"]), None,
        int(row["geo_precision"]) if row.get("geo_precision") else gp,
        int(row["where_prec"]) if row.get("where_prec") else wp, curated=True,
    )
