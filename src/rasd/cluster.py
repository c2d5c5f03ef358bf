"""Cross-document event clusters: one canonical event per real-world event, keeping every report.

Several outlets report the same strike or clash; an analyst wants it counted once, with every
outlet's and every source's figures side by side. `cluster_events` groups the events of many
`rasd.document/1` dicts into clusters and reconciles their fatalities across outlets with the same
rules as within one document (SPEC section 4, `rasd.reconcile`).

Two events may share a cluster when they come from different documents and
- their event types belong to one family (see `FAMILIES`), with the same sub-event type unless
  their evidence is worded nearly alike (`SAME_STORY_OVERLAP`, e.g. wire copy typed differently),
- their dates are at most one day apart,
- their places are within 10 km, or, when one side is coarse (ACLED geo_precision 3), share the
  coarse side's ADM2 (or ADM1 when it has no ADM2); a place known only to the country level
  ("in Yemen") shows nothing about which incident is meant, so such events stay singletons,
- their actor1 ids do not conflict,
- their killed figures do not exclude each other (one "2 killed", the other "40 killed"), and
- their evidence sentences share wording with at least half of the cluster's members (`MIN_OVERLAP`):
  measured on the SaudiNewsNet sample, place + day + type alone merged unrelated stories that name
  the same capital (Tehran, Vienna) on the same day; events without evidence text skip this test.

Events are blocked by (country, ADM1, day), so each event is compared only with clusters of its own
block and the neighbouring days: the work grows with the corpus, not with its square. Linkage is
complete (an event joins a cluster only when it fits every member), which keeps clusters from
chaining across a governorate, and a cluster holds at most one event per document because the
extractor already splits one document's distinct events. Events are sorted before clustering so
the result does not depend on input order, and cluster ids are hashes of the sorted member uids.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasd.reconcile import Reported, reconcile
from rasd.text.normalize import normalize_key

MAX_KM = 10.0
MAX_DAYS = 1
# Wording overlap of the evidence sentences (shared words / words of the shorter side). Measured on
# SaudiNewsNet: reports of one incident share >= 0.1 (wire copy ~1.0), while unrelated stories that
# merely name the same city on the same day share < 0.1 (docs/exports.md).
MIN_OVERLAP = 0.15
MIN_SHARED_WORDS = 4
# Two sub-event types of one family ("armed clash" vs "shelling") join only when the wording is this close:
# on the sample most cross-type merges at lower overlap were different incidents of one roundup article.
SAME_STORY_OVERLAP = 0.5
_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\w]+")
_STOP = frozenset(normalize_key(w) for w in (
    "في من على إلى الى عن مع أن ان إن التي الذي الذين هذا هذه ذلك تلك كان كانت قد وقد لم لن ما لا بين بعد "
    "قبل حيث كما أو او ثم حتى عند أمس اليوم وقال قال وأضاف أضاف وأكد أكد أيضا خلال منذ كل بعض أي غير عبر "
    "نحو لدى وفي ومن وعلى وهو وهي هو هي إنه انه أنه وأن وإن عليه إليه فيه منه"
).split())

# Event types an outlet may use for the same incident ("clashes" vs "shelling"); anything else
# must match exactly. Strategic developments also need the same sub-event type (an arrest and an
# agreement are never one event).
FAMILIES: dict[str, str] = {
    "Battles": "armed",
    "Explosions/Remote violence": "armed",
    "Violence against civilians": "civilians",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Strategic developments": "strategic",
}
TYPE_ORDER = list(FAMILIES)
ROLE_ORDER = {"actor1": 0, "actor2": 1, "assoc_actor_1": 2, "assoc_actor_2": 3}
# Sources whose name says nothing about who they are ("a source", "witnesses"): the same name in
# two outlets is not the same source, so they are keyed per document when reconciling.
PER_DOCUMENT_KINDS = {"unnamed", "witness"}


def family(event_type: str, sub_event_type: str) -> str:
    fam = FAMILIES.get(event_type, event_type)
    return f"{fam}:{sub_event_type}" if fam == "strategic" else fam


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def cluster_id(uids: Iterable[str]) -> str:
    """Stable id: the same members always give the same id, whatever order they came in."""
    return "c" + hashlib.sha1("\n".join(sorted(uids)).encode("utf-8")).hexdigest()[:15]


@dataclass
class _Item:
    """One event with what clustering needs, read once from its document."""

    uid: str
    doc_id: str
    outlet: str | None
    event: dict
    sources: dict[str, dict]
    day: date | None
    end: date | None
    family: str
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    precision: int
    place_name: str | None
    actor1: str | None
    actor_ids: frozenset[str]
    killed: tuple[int, int, float] | None  # (best, low, high) of the event's reconciled fatalities
    words: frozenset[str]

    @property
    def coarse(self) -> bool:
        return self.precision >= 3 or self.lat is None


@dataclass
class _Cluster:
    items: list[_Item] = field(default_factory=list)

    @property
    def docs(self) -> set[str]:
        return {i.doc_id for i in self.items}


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _items(docs: Iterable[dict]) -> list[_Item]:
    items: list[_Item] = []
    for n, d in enumerate(docs):
        if d.get("error"):
            continue
        info = d.get("doc") or {}
        doc_id = str(info.get("id") or f"doc{n}")
        sources = {s["id"]: s for s in d.get("sources") or []}
        for ev in d.get("events") or []:
            loc = ev.get("location") or {}
            dt = ev.get("date") or {}
            day = _parse_day(dt.get("start")) or _parse_day(info.get("published"))
            end = _parse_day(dt.get("end")) or day
            actors = ev.get("actors") or []
            actor1 = next((a["id"] for a in actors if a.get("role") == "actor1"), None)
            fat = ev.get("fatalities") or {}
            killed = None
            if fat.get("best"):
                high = fat.get("high")
                killed = (int(fat["best"]), int(fat.get("low") or 0), float(high) if high is not None else math.inf)
            items.append(_Item(
                uid=f"{doc_id}#{ev['id']}", doc_id=doc_id, outlet=info.get("outlet"), event=ev, sources=sources,
                day=day, end=end, family=family(ev.get("event_type", ""), ev.get("sub_event_type", "")),
                country=loc.get("country"), admin1=loc.get("admin1"), admin2=loc.get("admin2"),
                lat=loc.get("lat"), lon=loc.get("lon"), precision=int(loc.get("geo_precision") or 3),
                place_name=loc.get("name"), actor1=actor1,
                actor_ids=frozenset(a["id"] for a in actors if a.get("id")), killed=killed,
                words=_words(" ".join(m.get("text") or "" for m in ev.get("evidence") or [])),
            ))
    return items


def _words(text: str) -> frozenset[str]:
    out = set()
    for w in _WORD.findall(text):
        key = normalize_key(w)
        if key.startswith("ال"):
            key = key[2:]
        if len(key) >= 3 and key not in _STOP:
            out.add(key)
    return frozenset(out)


def overlap(a: _Item, b: _Item) -> float | None:
    """Shared evidence words / words of the shorter side; None when either has no evidence text."""
    if not a.words or not b.words:
        return None
    shared = len(a.words & b.words)
    if shared < min(MIN_SHARED_WORDS, len(a.words), len(b.words)):
        return 0.0
    return shared / min(len(a.words), len(b.words))


def similar(a: _Item, b: _Item) -> bool:
    """Do the two reports word the incident alike? (True when either has no evidence text.)"""
    ov = overlap(a, b)
    return ov is None or ov >= MIN_OVERLAP


def _same_place(a: _Item, b: _Item) -> bool:
    if not a.country or a.country != b.country:
        return False
    if not a.coarse and not b.coarse:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= MAX_KM  # type: ignore[arg-type]
    if a.admin1 is None or b.admin1 is None:
        # A country-level place cannot show that two reports are about one incident.
        return False
    if a.admin1 != b.admin1:
        return False
    # A coarse place with a district must be the other's district; a governorate holds any of its places.
    for coarse, other in ((a, b), (b, a)):
        if coarse.coarse and coarse.admin2 and other.admin2 and coarse.admin2 != other.admin2:
            return False
    return True


def _figures_compatible(a: _Item, b: _Item) -> bool:
    """Killed tolls that cannot describe one event: disjoint ranges and far apart (2 vs 40)."""
    if a.killed is None or b.killed is None:
        return True
    (best_a, low_a, high_a), (best_b, low_b, high_b) = a.killed, b.killed
    if low_a <= high_b and low_b <= high_a:
        return True
    small, big = sorted((best_a, best_b))
    return big <= 5 * small + 10


def _actors_compatible(a: _Item, b: _Item) -> bool:
    if a.actor1 is None or b.actor1 is None or a.actor1 == b.actor1:
        return True
    # One outlet names the attacker, the other lists it as the target side: not a conflict.
    return a.actor1 in b.actor_ids or b.actor1 in a.actor_ids


def compatible(a: _Item, b: _Item) -> bool:
    if a.doc_id == b.doc_id or a.family != b.family:
        return False
    if a.day is None or b.day is None or abs((a.day - b.day).days) > MAX_DAYS:
        return False
    if a.event.get("sub_event_type") != b.event.get("sub_event_type"):
        ov = overlap(a, b)
        if ov is not None and ov < SAME_STORY_OVERLAP:
            return False
    return _same_place(a, b) and _actors_compatible(a, b) and _figures_compatible(a, b)


def _affinity(item: _Item, cl: _Cluster) -> tuple:
    """Which of several fitting clusters to join: same sub-type, same day, nearest, most shared actors."""
    sub = sum(m.event.get("sub_event_type") == item.event.get("sub_event_type") for m in cl.items)
    days = sum(m.day == item.day for m in cl.items)
    dist = 0.0
    if not item.coarse:
        fine = [m for m in cl.items if not m.coarse]
        if fine:
            dist = min(haversine_km(item.lat, item.lon, m.lat, m.lon) for m in fine)  # type: ignore[arg-type]
    shared = sum(len(item.actor_ids & m.actor_ids) for m in cl.items)
    return (-sub, -days, round(dist, 3), -shared, min(m.uid for m in cl.items))


def _block_key(item: _Item, day: date | None) -> tuple:
    return (item.country, item.admin1, day)


def cluster_events(docs: Iterable[dict]) -> list[dict]:
    """Group the events of many rasd.document/1 dicts into cross-document clusters (every event in one)."""
    items = _items(docs)
    # Precise places first, so coarse reports join the cluster of the town they are about; then by
    # day and uid so the result is independent of input order.
    items.sort(key=lambda i: (i.day or date.max, i.coarse, i.precision, i.uid))
    blocks: dict[tuple, list[_Cluster]] = defaultdict(list)
    clusters: list[_Cluster] = []
    for item in items:
        chosen: _Cluster | None = None
        if item.day is not None and item.country and not (item.coarse and item.admin1 is None):
            candidates: list[_Cluster] = []
            seen: set[int] = set()
            for delta in range(-MAX_DAYS, MAX_DAYS + 1):
                for cl in blocks.get(_block_key(item, item.day + timedelta(days=delta)), []):
                    if id(cl) in seen:
                        continue
                    seen.add(id(cl))
                    if (item.doc_id not in cl.docs and all(compatible(item, m) for m in cl.items)
                            and 2 * sum(similar(item, m) for m in cl.items) >= len(cl.items)):
                        candidates.append(cl)
            if candidates:
                chosen = min(candidates, key=lambda cl: _affinity(item, cl))
        if chosen is None:
            chosen = _Cluster()
            clusters.append(chosen)
        chosen.items.append(item)
        key = _block_key(item, item.day)
        if chosen not in blocks[key]:
            blocks[key].append(chosen)
    out = [_summarise(cl) for cl in clusters]
    out.sort(key=lambda c: (c["date"]["start"] or "", c["country"] or "", c["id"]))
    return out


def _mode(values: list, order: list | None = None):
    """Most common value; ties go to the earliest in `order` (or the smallest), so it is deterministic."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    if order:
        return min(tied, key=lambda v: order.index(v) if v in order else len(order))
    return min(tied, key=str)


def _source_key(src: dict, item: _Item) -> str:
    name = src.get("name") or "unknown source"
    if src.get("kind") in PER_DOCUMENT_KINDS:
        return f"{name} ({item.outlet or item.doc_id})"
    return name


def _summarise(cl: _Cluster) -> dict:
    items = sorted(cl.items, key=lambda i: i.uid)
    events = [i.event for i in items]
    event_type = _mode([e.get("event_type") for e in events], TYPE_ORDER)
    sub_event_type = _mode([e.get("sub_event_type") for e in events if e.get("event_type") == event_type])
    # The most precise place, the most often named among equals.
    best_prec = min(i.precision for i in items)
    place_name = _mode([i.place_name for i in items if i.precision == best_prec])
    anchor = next((i for i in items if i.precision == best_prec and i.place_name == place_name), items[0])
    loc = anchor.event.get("location") or {}
    days = [i.day for i in items if i.day]
    ends = [i.end for i in items if i.end]
    start = min(days).isoformat() if days else None
    end = max(ends + days).isoformat() if days else None
    dates = [e.get("date") or {} for e in events]
    time_prec = min((d.get("time_precision") or 1 for d in dates if d), default=None)
    date_prec = min((d.get("date_prec") or 1 for d in dates if d), default=None)
    if start and end and start != end:
        date_prec = max(date_prec or 1, 2)

    actors: dict[str, dict] = {}
    roles: dict[str, list[str]] = defaultdict(list)
    for e in events:
        for a in e.get("actors") or []:
            actors.setdefault(a["id"], {k: a.get(k) for k in ("id", "name", "name_ar", "inter", "country")})
            roles[a["id"]].append(a.get("role"))
    actor_list = []
    for aid, a in actors.items():
        role = _mode(roles[aid], list(ROLE_ORDER))
        actor_list.append({"role": role, **a})
    _fix_roles(actor_list)
    actor_list.sort(key=lambda a: (ROLE_ORDER.get(a["role"], 9), a["id"]))

    claims: list[dict] = []
    reported: list[Reported] = []
    for item in items:
        for c in item.event.get("claims") or []:
            src = item.sources.get(c.get("source"), {})
            key = _source_key(src, item)
            claims.append({
                **c, "event": item.uid, "doc_id": item.doc_id, "outlet": item.outlet,
                "source_name": src.get("name"), "source_kind": src.get("kind"), "source_party": src.get("party"),
                "source_key": key,
            })
            for f in c.get("figures") or []:
                if f.get("kind") == "killed":
                    reported.append(Reported(key, c.get("stance", "asserts"), f.get("group") or "unknown",
                                             f.get("low"), int(f["best"]), f.get("high")))
    denied = any(c.get("stance") == "denies" for c in claims)
    fatalities, contested = reconcile(reported, denied=denied)
    if not reported and not denied:
        fatalities = {"low": 0, "best": 0, "high": 0}
    outlets = sorted({i.outlet for i in items if i.outlet})
    return {
        "id": cluster_id(i.uid for i in items),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "date": {"start": start, "end": end, "time_precision": time_prec, "date_prec": date_prec},
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "admin3": loc.get("admin3"),
        "location": loc.get("name"),
        "location_ar": loc.get("name_ar"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "where_prec": loc.get("where_prec"),
        "members": [i.uid for i in items],
        "documents": sorted({i.doc_id for i in items}),
        "outlets": outlets,
        "actors": actor_list,
        "civilian_targeting": any(e.get("civilian_targeting") for e in events),
        "weapons": sorted({w for e in events for w in e.get("weapons") or []}),
        "claims": claims,
        "fatalities": fatalities,
        "contested": contested,
        "disputes": disputes(claims),
        "confidence": round(max((e.get("confidence") or 0.0) for e in events), 3),
    }


def _fix_roles(actors: list[dict]) -> None:
    """Keep one actor1 and one actor2 (the rest become associates), as ACLED rows have one of each."""
    for main, assoc in (("actor1", "assoc_actor_1"), ("actor2", "assoc_actor_2")):
        mains = sorted((a for a in actors if a["role"] == main), key=lambda a: a["id"])
        for extra in mains[1:]:
            extra["role"] = assoc


def _number(f: dict) -> str:
    n, q = f["best"], f.get("qualifier")
    if q == "at_least":
        return f"at least {n}"
    if q == "at_most":
        return f"up to {n}"
    if q == "approx":
        return f"about {n}"
    if q == "unquantified":
        return "an unknown number of"
    if q == "vague":
        return f"{f['low']}-{f['high']}" if f.get("low") is not None and f.get("high") else f"{n}+"
    return str(n)


def _figure_phrase(figs: list[dict]) -> str:
    """'40 soldiers and 50 militants'; one group with several reported values: '14 or 11 soldiers'."""
    by_group: dict[str, list[dict]] = {}
    for f in sorted(figs, key=lambda f: f.get("group") != "unknown"):  # stable: groups in reported order
        by_group.setdefault(f.get("group") or "unknown", []).append(f)
    parts = []
    for group, group_figs in by_group.items():
        nums = list(dict.fromkeys(_number(f) for f in sorted(group_figs, key=lambda f: -f["best"])))
        parts.append(" or ".join(nums) + ("" if group == "unknown" else f" {group}"))
    return " and ".join(parts)


def disputes(claims: list[dict]) -> list[str]:
    """One English line per source: what it reported killed, or that it denied the event."""
    lines: list[str] = []
    per_source: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"killed": [], "denies": []})
    order: list[str] = []
    for c in claims:
        name = c.get("source_name") or c.get("source_key") or "a source"
        if c.get("source_kind") in PER_DOCUMENT_KINDS:
            who = "witnesses" if c.get("source_kind") == "witness" else "an unnamed source"
            name = f"{who} ({c.get('outlet') or c.get('doc_id')})"
        if name not in order:
            order.append(name)
        if c.get("stance") == "denies":
            per_source[name]["denies"].append(c)
        for f in c.get("figures") or []:
            if f.get("kind") == "killed" and c.get("stance") != "denies":
                key = (f.get("group"), f.get("best"), f.get("qualifier"))
                if key not in {(g.get("group"), g.get("best"), g.get("qualifier")) for g in per_source[name]["killed"]}:
                    per_source[name]["killed"].append(f)
    for name in order:
        entry = per_source[name]
        if entry["killed"]:
            lines.append(f"{name} reported {_figure_phrase(entry['killed'])} killed")
        if entry["denies"]:
            lines.append(f"{name} denied the event")
    return lines
