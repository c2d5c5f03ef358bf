"""The packaged gazetteer: WOF/GeoNames index plus the curated TSV, loaded once.

The index (`rasd/data/gazetteer.tsv.gz`, built by `scripts/build_gazetteer.py`) holds normalised Arabic
keys, so loading is a plain read; the curated list (`lexicons/places_curated.tsv`) is read at load time so
that an analyst can add a camp or a mountain without rebuilding anything.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick

from rasd.text.matcher import ARTICLE, PhraseMatcher
from rasd.text.normalize import normalize_key

NOT_PLACE = -1
# Default ACLED geo_precision / UCDP where_prec of a place named on its own.
DEFAULT_PRECISION = {
    "country": (3, 6), "region": (3, 4), "county": (2, 3), "locality": (1, 1), "neighbourhood": (1, 1),
    "campus": (1, 1), "feature": (2, 2), "camp": (1, 1), "airport": (1, 1), "base": (1, 1), "crossing": (1, 1),
}


class _NormalisedMatcher(PhraseMatcher[int]):
    """A PhraseMatcher over keys that are already normalised (the packaged index stores them so):
    skipping `normalize_key` on 70k names keeps loading under a second."""

    def __init__(self, entries: list[tuple[str, int]]) -> None:  # noqa: D107 - same contract as the parent
        self._payloads = {}
        for key, payload in entries:
            self._payloads.setdefault(key, []).append(payload)
        self.suffixes = frozenset()
        self._automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            self._add(key, key, tuple(payloads), False)
            if key.startswith(ARTICLE) and len(key) > 4:
                self._add(key[2:], key, tuple(payloads), True)
        if len(self._automaton):
            self._automaton.make_automaton()

    def find_all(self, text: str) -> list:
        """As the parent, but a name written with the article needs it (or the ل of لل) in the text:
        "حراك" alone is a word, not the village "الحراك"."""
        hits = []
        for m in super().find_all(text):
            if m.key.startswith(ARTICLE) and not text.startswith(ARTICLE, m.start) and text[m.start:m.start + 1] != "ل":
                continue
            hits.append(m)
        return hits


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


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: tuple[Place, ...]
    matcher: PhraseMatcher[int]

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
    places: list[Place] = []
    entries: list[tuple[str, int]] = []
    overrides: dict[str, Place] = {}
    curated_rows = _curated_rows()
    for row in curated_rows:
        if row.get("override"):
            overrides[row["override"]] = _curated_place(row)
    data = resources.files("rasd").joinpath("data", "gazetteer.tsv.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            (pid, name, name_ar, keys, pt, cc, a1, a2, lat, lon, pop) = line.rstrip("\n").split("\t")
            if pid in overrides:
                place = overrides.pop(pid)
            else:
                gp, wp = DEFAULT_PRECISION.get(pt, (1, 1))
                place = Place(pid, name, name_ar, pt, cc, a1 or None, a2 or None, float(lat), float(lon),
                              int(pop) if pop else None, gp, wp)
            idx = len(places)
            places.append(place)
            for key in keys.split("|"):
                if key:
                    entries.append((key, idx))
    for row in curated_rows:
        if row.get("override"):
            continue
        idx = len(places)
        places.append(_curated_place(row))
        for name in row["name_ar"].split("|"):
            entries.append((normalize_key(name), idx))
    # phrases that contain a place name but name no place ("مسقط رأس"): payload NOT_PLACE, so the
    # matcher's longest match swallows the name and the geoparser skips it
    for phrase in _not_place_phrases():
        entries.append((normalize_key(phrase), NOT_PLACE))
    return Gazetteer(tuple(places), _NormalisedMatcher(entries))


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
