"""An in-memory store with the same read API as `rasd.store.Store`.

Why: `rasd serve --load articles.jsonl` shows a few hundred articles on the map without building a
DuckDB store first, and the tests exercise every store endpoint without depending on DuckDB.
Events are flattened with their document's metadata; clusters group reports of one event across
documents by a simple key (type, day, ADM1 or place), which is cruder than the corpus store's
clustering but gives the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Bbox = tuple[float, float, float, float]


def _event_row(doc: dict, ev: dict) -> dict:
    """One event joined with what the page needs from its document (outlet, date, sources)."""
    info = doc.get("doc") or {}
    doc_id = info.get("id") or "doc"
    used = {c.get("source") for c in ev.get("claims") or []}
    return {
        **ev,
        "uid": f"{doc_id}:{ev.get('id')}",
        "doc_id": doc_id,
        "outlet": info.get("outlet"),
        "published": info.get("published"),
        "title": info.get("title"),
        "url": info.get("url"),
        "sources": [s for s in doc.get("sources") or [] if s.get("id") in used],
    }


def _cluster_key(ev: dict) -> tuple:
    loc = ev.get("location") or {}
    place = loc.get("admin1") if (loc.get("geo_precision") or 1) >= 3 else loc.get("name")
    return (ev.get("event_type"), (ev.get("date") or {}).get("start"), loc.get("country"), place)


def _matches(ev: dict, f: dict[str, Any]) -> bool:
    """The filters of GET /v1/events, applied to one flattened event."""
    start = (ev.get("date") or {}).get("start") or ""
    loc = ev.get("location") or {}
    if f.get("date_from") and (not start or start < f["date_from"]):
        return False
    if f.get("date_to") and (not start or start > f["date_to"]):
        return False
    if f.get("country") and (loc.get("country") or "").upper() != f["country"].upper():
        return False
    if f.get("admin1") and (loc.get("admin1") or "").lower() != f["admin1"].lower():
        return False
    if f.get("event_type") and ev.get("event_type") != f["event_type"]:
        return False
    if f.get("contested") is not None and bool(ev.get("contested")) != f["contested"]:
        return False
    if f.get("actor"):
        needle = f["actor"].lower()
        names = [str(a.get(k) or "").lower() for a in ev.get("actors") or [] for k in ("id", "name", "name_ar")]
        if not any(needle == n or (len(needle) > 2 and needle in n) for n in names):
            return False
    if f.get("source"):
        needle = f["source"].lower()
        names = [str(s.get(k) or "").lower() for s in ev.get("sources") or [] for k in ("id", "name", "name_ar", "party")]
        names.append(str(ev.get("outlet") or "").lower())
        if not any(needle == n or (len(needle) > 2 and needle in n) for n in names):
            return False
    if f.get("bbox"):
        west, south, east, north = f["bbox"]
        if loc.get("lat") is None or loc.get("lon") is None:
            return False
        if not (west <= loc["lon"] <= east and south <= loc["lat"] <= north):
            return False
    return True


class MemoryStore:
    """Documents held in memory, answering the read methods of `rasd.store.Store`."""

    def __init__(self, documents: Iterable[dict] = (), texts: dict[str, str] | None = None) -> None:
        self._docs: dict[str, dict] = {}
        self._texts: dict[str, str] = dict(texts or {})
        self._events: list[dict] = []
        self._clusters: dict[str, dict] = {}
        for doc in documents:
            self.add(doc)

    def add(self, doc: dict, text: str | None = None) -> None:
        """Add one rasd.document/1 dict (documents with an `error` are kept out of the events)."""
        info = doc.setdefault("doc", {})
        if not info.get("id"):
            info["id"] = f"doc{len(self._docs) + 1}"
        self._docs[info["id"]] = doc
        if text is not None:
            self._texts[info["id"]] = text
        if doc.get("error"):
            return
        for ev in doc.get("events") or []:
            row = _event_row(doc, ev)
            self._events.append(row)
        self._recluster()

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path], progress=None) -> MemoryStore:
        """Articles (anything `rasd extract` reads) are extracted; rasd.document/1 JSONL is loaded as is."""
        from rasd.cli import extract_record
        from rasd.io.readers import read_path

        store = cls()
        for path in paths:
            path = Path(path)
            first = ""
            if path.suffix == ".jsonl":
                with path.open(encoding="utf-8") as fh:
                    first = fh.readline()
            if first.strip() and json.loads(first).get("schema") == "rasd.document/1":
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        doc = json.loads(line)
                        store.add(doc, doc.pop("text", None))
                continue
            for rec in read_path(str(path)):
                store.add(extract_record(rec), rec.get("text"))
                if progress:
                    progress(len(store._docs))
        return store

    def _recluster(self) -> None:
        groups: dict[tuple, list[dict]] = {}
        for ev in self._events:
            groups.setdefault(_cluster_key(ev), []).append(ev)
        self._clusters = {}
        for n, (_, members) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0])), start=1):
            cid = f"C{n}"
            for ev in members:
                ev["cluster_id"] = cid
            self._clusters[cid] = _cluster(cid, members)

    # -- the read API shared with rasd.store.Store ------------------------------------------

    def events(self, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
        rows = [e for e in self._events if _matches(e, filters)]
        rows.sort(key=lambda e: ((e.get("date") or {}).get("start") or "", e["uid"]))
        return rows[offset: offset + limit]

    def clusters(self, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
        ids = {e["cluster_id"] for e in self._events if _matches(e, filters)}
        rows = [self._clusters[c] for c in ids]
        rows.sort(key=lambda c: (c["date"]["start"] or "", c["id"]))
        return rows[offset: offset + limit]

    def event(self, uid: str) -> dict | None:
        return next((e for e in self._events if e["uid"] == uid), None)

    def cluster(self, cluster_id: str) -> dict | None:
        return self._clusters.get(cluster_id)

    def document(self, doc_id: str) -> dict | None:
        doc = self._docs.get(doc_id)
        if doc is None:
            return None
        text = self._texts.get(doc_id)
        return {**doc, "text": text} if text is not None else doc

    def stats(self) -> dict:
        by_type: dict[str, int] = {}
        for e in self._events:
            by_type[e.get("event_type") or "?"] = by_type.get(e.get("event_type") or "?", 0) + 1
        return {"documents": len(self._docs), "events": len(self._events), "clusters": len(self._clusters),
                "by_event_type": by_type}

    def close(self) -> None:
        """Nothing to release (the DuckDB store has a connection)."""


def _cluster(cid: str, members: list[dict]) -> dict:
    """A canonical event over its members: the most precise place, fatalities reconciled across outlets."""
    first = members[0]
    located = [m for m in members if (m.get("location") or {}).get("lat") is not None]
    loc = min(located, key=lambda m: m["location"].get("geo_precision") or 9)["location"] if located else None
    bests = [m["fatalities"]["best"] for m in members if (m.get("fatalities") or {}).get("best") is not None]
    lows = [m["fatalities"]["low"] for m in members if (m.get("fatalities") or {}).get("low") is not None]
    highs = [m["fatalities"]["high"] for m in members if (m.get("fatalities") or {}).get("high") is not None]
    starts = [(m.get("date") or {}).get("start") for m in members if (m.get("date") or {}).get("start")]
    return {
        "id": cid,
        "event_type": first.get("event_type"),
        "sub_event_type": first.get("sub_event_type"),
        "date": {"start": min(starts) if starts else None, "end": max(starts) if starts else None},
        "location": loc,
        "fatalities": {"low": min(lows) if lows else None, "best": min(bests) if bests else None,
                       "high": max(highs) if highs else None},
        "contested": any(m.get("contested") for m in members),
        "outlets": sorted({m.get("outlet") or "?" for m in members}),
        "n_documents": len({m["doc_id"] for m in members}),
        "members": members,
    }
