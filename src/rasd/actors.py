"""The actor & source registry and its recogniser.

Who fought, who was hit and who said so are all looked up in one registry
(`lexicons/actors.tsv`): every row is an actor (ACLED name and `inter` code) that may also speak
as a source (`kind`, `party`). Rows whose country is `*` are generic descriptors ("مدنيين",
"مسلحون مجهولون", "الجيش", "مصدر أمني"): they become a concrete actor only once a country is
known, either from a nationality adjective in the phrase itself ("الطائرات الروسية" -> Russian
military, expanded from `{adj}` templates) or from the article's country hint ("الجيش" in a
Yemeni article -> Military Forces of Yemen). A concrete row can claim such a slot with its
`resolves` column, e.g. SYR-MIL resolves MIL for SY, so "الجيش" in Syria is SYR-MIL.

Everything works on normalised text (see `rasd.text.normalize`); offsets are normalised offsets.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from rasd.text.matcher import PhraseMatcher
from rasd.text.normalize import normalize_key

LEXICONS = Path(__file__).resolve().parent / "lexicons"
ACTORS_TSV = LEXICONS / "actors.tsv"
COUNTRIES_TSV = LEXICONS / "actor_countries.tsv"

GENERIC = "*"
KINDS = frozenset(
    "government military armed_group monitor media un_ngo medical local_official witness unnamed outlet".split()
)
ROLES = frozenset({"actor", "source", "both"})
_TEMPLATE = re.compile(r"\{(adj|adj_f|adj_pl)\}")


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    name_ar: str
    inter: int
    country: str  # ISO2, "" for international bodies, "*" for a generic descriptor not yet resolved
    party: str  # registry id of the side it belongs to / speaks for ("" when unknown)
    kind: str  # what it is when it speaks as a source
    role: str  # actor | source | both

    @property
    def is_generic(self) -> bool:
        return self.country == GENERIC

    @property
    def can_act(self) -> bool:
        return self.role in ("actor", "both")

    @property
    def can_speak(self) -> bool:
        return self.role in ("source", "both")


@dataclass
class ActorMention:
    start: int  # normalised offsets, clitic prefix excluded
    end: int
    entry: ActorEntry
    generic: bool  # a descriptor row (مدنيين، مسلحون، الجيش...) resolved (or left) by country hint


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str  # "Syria": used in "Civilians (Syria)"
    name_of: str  # "the United States": used in "Military Forces of the United States"
    names: tuple[str, ...]  # country names, capitals, main cities (for the country hint)
    adj: tuple[str, ...]  # masculine singular adjective: سوري
    adj_f: tuple[str, ...]  # feminine singular: سورية
    adj_pl: tuple[str, ...]  # human plural: سوريين|سوريون


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV with a header, skipping blank and `#` comment lines."""
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


@cache
def countries() -> dict[str, Country]:
    """Countries the registry can name, with their Arabic names and nationality adjectives."""
    out: dict[str, Country] = {}
    for row in _read_tsv(COUNTRIES_TSV):
        adj = _split(row["adj"])
        adj_f = _split(row.get("adj_f", "")) or tuple(a + "ة" for a in adj)
        adj_pl = _split(row.get("adj_pl", "")) or tuple(x for a in adj for x in (a + "ين", a + "ون"))
        iso = row["iso2"].upper()
        out[iso] = Country(
            iso, row["name"], row.get("name_of") or row["name"], _split(row["names_ar"]), adj, adj_f, adj_pl
        )
    return out


@dataclass(frozen=True)
class _Row:
    entry: ActorEntry
    aliases: tuple[str, ...]
    resolves: tuple[tuple[str, str], ...]  # (generic id, iso2) slots this concrete row fills


@cache
def _rows() -> dict[str, _Row]:
    rows: dict[str, _Row] = {}
    for r in _read_tsv(ACTORS_TSV):
        country = r["country"].upper() if r["country"] != GENERIC else GENERIC
        entry = ActorEntry(
            id=r["id"],
            name=r["name"],
            name_ar=r["name_ar"],
            inter=int(r["inter"]),
            country=country,
            party=r.get("party", ""),
            kind=r["kind"],
            role=r["role"],
        )
        if entry.kind not in KINDS or entry.role not in ROLES:
            raise ValueError(f"actors.tsv row {entry.id}: bad kind {entry.kind!r} or role {entry.role!r}")
        if entry.id in rows:
            raise ValueError(f"actors.tsv: duplicate id {entry.id}")
        slots = []
        for slot in _split(r.get("resolves", "")):
            gen, _, iso = slot.partition("@")
            slots.append((gen, (iso or country).upper()))
        rows[entry.id] = _Row(entry, _split(r["aliases"]), tuple(slots))
    return rows


@cache
def _slots() -> dict[tuple[str, str], str]:
    """(generic id, iso2) -> the concrete row that stands for it."""
    return {slot: row.entry.id for row in _rows().values() for slot in row.resolves}


def _resolve_party(party: str, country: str) -> str:
    rows = _rows()
    if party in rows and rows[party].entry.is_generic and country not in ("", GENERIC):
        return _slots().get((party, country.upper()), f"{party}-{country.upper()}")
    return party


@cache
def registry() -> dict[str, ActorEntry]:
    """Every concrete and generic row by id; parties given as generic ids are resolved by country."""
    out = {}
    for rid, row in _rows().items():
        e = row.entry
        out[rid] = e if e.is_generic else replace(e, party=_resolve_party(e.party, e.country))
    return out


def aliases(actor_id: str) -> tuple[str, ...]:
    """The Arabic surface forms listed for a row (templates not expanded)."""
    row = _rows().get(actor_id)
    return row.aliases if row else ()


@cache
def _resolve(generic_id: str, country: str) -> ActorEntry:
    rows = _rows()
    concrete = _slots().get((generic_id, country))
    if concrete:
        return registry()[concrete]
    base = rows[generic_id].entry
    if "{country" not in base.name:  # a transnational group (AQ): no slot here, keep it whole
        return replace(base, country="", party=base.id if base.party == base.id else base.party)
    c = countries().get(country)
    name, name_of = (c.name, c.name_of) if c else (country, country)
    new_id = f"{base.id}-{country}"
    party = new_id if base.party == base.id else _resolve_party(base.party, country)
    return ActorEntry(
        id=new_id,
        name=base.name.format(country=name, country_of=name_of),
        name_ar=base.name_ar,
        inter=base.inter,
        country=country,
        party=party,
        kind=base.kind,
        role=base.role,
    )


def resolve_generic(entry: ActorEntry, country: str | None) -> ActorEntry:
    """The concrete actor a generic row stands for in `country` (ISO2); others pass through.

    A concrete row that claims the slot wins (MIL in SY -> SYR-MIL); otherwise one is made up from
    the generic row's name template (CIV in YE -> CIV-YE "Civilians (Yemen)").
    """
    if not entry.is_generic or not country or entry.id not in _rows():
        return entry
    return _resolve(entry.id, country.upper())


def _expand(alias: str) -> list[tuple[str, str | None]]:
    """A template alias expanded for every country adjective: [(phrase, iso2 or None)]."""
    if not _TEMPLATE.search(alias):
        return [(alias, None)]
    out = []
    for c in countries().values():
        forms = {"adj": c.adj, "adj_f": c.adj_f, "adj_pl": c.adj_pl}
        needed = set(_TEMPLATE.findall(alias))
        if any(not forms[k] for k in needed):
            continue
        variants = [alias]
        for k in needed:
            variants = [v.replace("{" + k + "}", f) for v in variants for f in forms[k]]
        out.extend((v, c.iso2) for v in variants)
    return out


# payload: (row id, country named by the phrase itself or None, priority: 0 concrete, 1 template, 2 generic)
_Payload = tuple[str, str | None, int]


@cache
def _matcher() -> PhraseMatcher[_Payload]:
    entries: list[tuple[str, _Payload]] = []
    for rid, row in _rows().items():
        for alias in row.aliases:
            for phrase, iso in _expand(alias):
                prio = 0 if not row.entry.is_generic else (1 if iso else 2)
                entries.append((phrase, (rid, iso, prio)))
    return PhraseMatcher(entries)


def find_actors(norm: str, country_hint: str | None = None) -> list[ActorMention]:
    """Actor and source mentions in normalised text, leftmost-longest, in text order.

    Generic descriptors are resolved with the country their phrase names, else `country_hint`,
    else the country most named in `norm` (see `country_of_text`); with no country at all they stay
    generic (country "*"). Filter on `entry.role` / `can_act` / `can_speak` as needed.
    """
    hint = country_hint or country_of_text(norm)
    out = []
    for m in _matcher().find(norm):
        if not _article_ok(norm, m.start, m.key):
            continue
        rid, iso, prio = min(m.payloads, key=lambda p: p[2])
        entry = registry()[rid]
        if prio == 0:
            out.append(ActorMention(m.start, m.end, entry, False))
        elif prio == 1:
            out.append(ActorMention(m.start, m.end, resolve_generic(entry, iso), False))
        else:
            out.append(ActorMention(m.start, m.end, resolve_generic(entry, hint), True))
    return out


def _article_ok(norm: str, start: int, key: str) -> bool:
    """Reject an alias written with the article that was found without it, unless after لل.

    "القاعدة" (al-Qaeda) must not fire on "قاعدة" (a base), nor "الحراك" on "حراك"; "للقاعدة" is fine.
    """
    if not key.startswith("ال") or norm.startswith("ال", start):
        return True
    return start > 0 and norm[start] == "ل" and norm[start - 1] == "ل"


@cache
def _country_matcher() -> PhraseMatcher[str]:
    entries = []
    for c in countries().values():
        for phrase in (*c.names, *c.adj, *c.adj_f, *c.adj_pl):
            entries.append((phrase, c.iso2))
    return PhraseMatcher(entries)


@lru_cache(maxsize=8)  # the pipeline asks once, and `find_actors` again when the answer was None
def country_of_text(norm: str) -> str | None:
    """A cheap country hint: the country most named (names, cities, nationality adjectives).

    Ties go to the country named first, which is usually the dateline or the lead.
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    dash = norm.find("--", 0, 120)  # a wire dateline ("دبي، الامارات (cnn) --") says where the desk is
    for m in _country_matcher().find(norm[dash + 2 :] if dash >= 0 else norm):
        for iso in set(m.payloads):
            counts[iso] += 1
            first.setdefault(iso, m.start)
    if not counts:
        return None
    return max(counts, key=lambda iso: (counts[iso], -first[iso]))


def normalized_aliases(actor_id: str) -> tuple[str, ...]:
    """Aliases of a row in the normalised form the matcher compares (for tools and tests)."""
    return tuple(normalize_key(a) for a in aliases(actor_id))
