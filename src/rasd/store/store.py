"""The corpus store: one DuckDB file holding documents, events, claims, figures and clusters.

The CLI (`rasd batch/query/stats`) and the web app use this class, never SQL of their own, so the
schema (`rasd.store.schema`, documented in docs/store.md) can change in one place. Documents are
stored once per (id, content hash): adding the same document again is a no-op, adding a changed
text under the same id replaces every row that came from it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from rasd.store.schema import SCHEMA_SQL, SCHEMA_VERSION

CHUNK = 1000
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "documents": [("id", _S), ("content_hash", _S), ("outlet", _S), ("published", _S), ("title", _S),
                  ("url", _S), ("chars", _I), ("n_events", _I), ("text", _S), ("json", _S), ("error", _S),
                  ("skipped", _S)],
    "sources": [("doc_id", _S), ("source_id", _S), ("name", _S), ("name_ar", _S), ("party", _S), ("kind", _S),
                ("n_mentions", _I)],
    "events": [("uid", _S), ("doc_id", _S), ("event_id", _S), ("event_type", _S), ("sub_event_type", _S),
               ("date_start", _S), ("date_end", _S), ("time_precision", _I), ("date_prec", _I), ("country", _S),
               ("admin1", _S), ("admin2", _S), ("location", _S), ("location_ar", _S), ("lat", _F), ("lon", _F),
               ("geo_precision", _I), ("where_prec", _I), ("actors", _S), ("actor_ids", pa.list_(_S)),
               ("fatalities_low", _I), ("fatalities_best", _I), ("fatalities_high", _I), ("contested", _B),
               ("civilian_targeting", _B), ("confidence", _F), ("json", _S)],
    "claims": [("doc_id", _S), ("event_uid", _S), ("claim_no", _I), ("source_id", _S), ("source_name", _S),
               ("source_party", _S), ("source_kind", _S), ("stance", _S), ("text", _S), ("span_start", _I),
               ("span_end", _I)],
    "figures": [("doc_id", _S), ("event_uid", _S), ("claim_no", _I), ("figure_no", _I), ("kind", _S), ("low", _I),
                ("best", _I), ("high", _I), ("qualifier", _S), ("victim_group", _S), ("actor", _S), ("text", _S),
                ("span_start", _I), ("span_end", _I)],
    "clusters": [("id", _S), ("event_type", _S), ("sub_event_type", _S), ("date", _S), ("date_end", _S),
                 ("country", _S), ("admin1", _S), ("location", _S), ("lat", _F), ("lon", _F), ("n_members", _I), ("n_outlets", _I),
                 ("fatalities_low", _I), ("fatalities_best", _I), ("fatalities_high", _I), ("contested", _B),
                 ("json", _S)],
    "cluster_members": [("cluster_id", _S), ("event_uid", _S), ("doc_id", _S)],
    "errors": [("doc_id", _S), ("stage", _S), ("message", _S)],
}
DATE_COLUMNS = {"published", "date_start", "date_end", "date"}
# an error message with numbers and quoted values blanked, so that alike errors group together
_REASON = ("regexp_replace(regexp_replace(message, '[0-9]+', 'N', 'g'), "
           "'''[^'']*''|\"[^\"]*\"', '…', 'g')")
DOC_TABLES = ("documents", "sources", "events", "claims", "figures", "errors")


def content_hash(text: str | None) -> str:
    """The identity of a document's content (sha1 of its UTF-8 text)."""
    return hashlib.sha1((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def _date(value: Any) -> str | None:
    return str(value)[:10] if value and _ISO.match(str(value)) else None


def _span(item: dict) -> tuple[int | None, int | None]:
    span = item.get("span") or [None, None]
    return span[0], span[1]


class Store:
    """A rasd corpus in one DuckDB file (created with its schema when missing, unless read-only)."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no rasd store at {self.path} (create it with `rasd batch ... --db {self.path}`)")
        if not read_only and str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self.path), read_only=read_only)
        self._lock = threading.Lock()
        if not read_only:
            self._con.execute(SCHEMA_SQL)
            if not self._con.execute("SELECT 1 FROM meta WHERE key = 'schema'").fetchone():
                self._con.execute("INSERT INTO meta VALUES ('schema', ?)", [SCHEMA_VERSION])

    # -- plumbing -------------------------------------------------------------------------------

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: list | None = None) -> list[tuple]:
        """Run a read on its own cursor: a DuckDB connection is not safe to share between threads."""
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def _insert(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        cols = COLUMNS[table]
        arrays = [pa.array([r[i] for r in rows], type=t) for i, (_, t) in enumerate(cols)]
        tbl = pa.Table.from_arrays(arrays, names=[c for c, _ in cols])
        name = f"_rasd_insert_{table}"
        select = ", ".join(f"TRY_CAST({c} AS DATE)" if c in DATE_COLUMNS else c for c, _ in cols)
        self._con.register(name, tbl)
        try:
            self._con.execute(f"INSERT INTO {table} ({', '.join(c for c, _ in cols)}) SELECT {select} FROM {name}")
        finally:
            try:
                self._con.unregister(name)
            except duckdb.Error:  # an aborted transaction refuses even this; the caller rolls back
                pass

    # -- writing --------------------------------------------------------------------------------

    def add_documents(self, results: Iterable[dict], texts: dict[str, str] | None = None, *,
                      store_text: bool = True) -> int:
        """Store rasd.document/1 dicts (or error dicts); returns how many were new or changed.

        `texts` maps doc id → input text: it gives the content hash (and the stored text, unless
        `store_text` is False). A result whose (id, hash) is stored already is skipped; one whose
        id is stored with another hash replaces it.
        """
        added = 0
        chunk: list[dict] = []
        for result in results:
            chunk.append(result)
            if len(chunk) >= CHUNK:
                added += self._add_chunk(chunk, texts or {}, store_text)
                chunk = []
        if chunk:
            added += self._add_chunk(chunk, texts or {}, store_text)
        return added

    def _add_chunk(self, chunk: list[dict], texts: dict[str, str], store_text: bool) -> int:
        by_id: dict[str, tuple[dict, str]] = {}
        for res in chunk:
            doc_id = str((res.get("doc") or {}).get("id") or res.get("id") or "")
            text = texts.get(doc_id)
            h = content_hash(text) if text is not None else hashlib.sha1(
                json.dumps(res, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
            by_id.pop(doc_id, None)  # the last version of an id in the input wins
            by_id[doc_id] = (res, h)
        with self._lock:
            existing = dict(self._con.execute(
                "SELECT id, content_hash FROM documents WHERE id IN (SELECT unnest(?))", [list(by_id)]).fetchall())
            todo = {i: v for i, v in by_id.items() if existing.get(i) != v[1]}
            if not todo:
                return 0
            self._write_safely(todo, existing, texts, store_text)
        return len(todo)

    def _write_safely(self, todo: dict[str, tuple[dict, str]], existing: dict[str, str], texts: dict[str, str],
                      store_text: bool) -> None:
        """Write documents in one transaction; when that fails, one by one, and a document whose rows
        cannot be stored (e.g. a figure beyond BIGINT) is kept as an error, so one bad result never
        stops a corpus run."""
        try:
            self._write(todo, existing, texts, store_text)
            return
        except Exception as exc:  # noqa: BLE001 - narrowed below to the one document at fault
            if len(todo) == 1:
                [(doc_id, (res, h))] = todo.items()
                doc = res.get("doc") or {}
                failed = {"schema": res.get("schema", "rasd.document/1"),
                          "doc": {"id": doc_id, "chars": doc.get("chars")},
                          "error": f"cannot store the result: {type(exc).__name__}: {str(exc)[:300]}",
                          "stage": "store"}
                self._write({doc_id: (failed, h)}, existing, texts, store_text)
                return
        for doc_id, value in todo.items():
            self._write_safely({doc_id: value}, existing, texts, store_text)

    def _write(self, todo: dict[str, tuple[dict, str]], existing: dict[str, str], texts: dict[str, str],
               store_text: bool) -> None:
        rows: dict[str, list[tuple]] = {t: [] for t in DOC_TABLES}
        for doc_id, (res, h) in todo.items():
            self._rows_for(doc_id, res, h, texts.get(doc_id) if store_text else None, rows)
        self._con.execute("BEGIN TRANSACTION")
        try:
            replaced = [i for i in todo if i in existing]
            if replaced:
                for table in DOC_TABLES:
                    key = "id" if table == "documents" else "doc_id"
                    self._con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?))", [replaced])
            for table in DOC_TABLES:
                self._insert(table, rows[table])
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    @staticmethod
    def _rows_for(doc_id: str, res: dict, h: str, text: str | None, rows: dict[str, list[tuple]]) -> None:
        doc = res.get("doc") or {}
        events = res.get("events") or []
        error = res.get("error")
        rows["documents"].append((
            doc_id, h, doc.get("outlet"), doc.get("published"), doc.get("title"), doc.get("url"), doc.get("chars"),
            len(events), text, json.dumps(res, ensure_ascii=False), error, res.get("skipped"),
        ))
        if error:
            stage = res.get("stage") or ("language" if res.get("skipped") else "extract")
            rows["errors"].append((doc_id, stage, error))
            return
        sources = {s.get("id"): s for s in res.get("sources") or []}
        for s in sources.values():
            rows["sources"].append((doc_id, s.get("id"), s.get("name"), s.get("name_ar"), s.get("party"),
                                    s.get("kind"), len(s.get("mentions") or [])))
        for ev in events:
            uid = f"{doc_id}#{ev.get('id')}"
            date = ev.get("date") or {}
            loc = ev.get("location") or {}
            fat = ev.get("fatalities") or {}
            actors = ev.get("actors") or []
            rows["events"].append((
                uid, doc_id, ev.get("id"), ev.get("event_type"), ev.get("sub_event_type"),
                _date(date.get("start")), _date(date.get("end")), date.get("time_precision"), date.get("date_prec"),
                loc.get("country"), loc.get("admin1"), loc.get("admin2"), loc.get("name"), loc.get("name_ar"),
                loc.get("lat"), loc.get("lon"), loc.get("geo_precision"), loc.get("where_prec"),
                json.dumps(actors, ensure_ascii=False), [a.get("id") for a in actors if a.get("id")],
                fat.get("low"), fat.get("best"), fat.get("high"), ev.get("contested"),
                ev.get("civilian_targeting"), ev.get("confidence"), json.dumps(ev, ensure_ascii=False),
            ))
            for cn, claim in enumerate(ev.get("claims") or [], 1):
                src = sources.get(claim.get("source")) or {}
                rows["claims"].append((doc_id, uid, cn, claim.get("source"), src.get("name"), src.get("party"),
                                       src.get("kind"), claim.get("stance"), claim.get("text"), *_span(claim)))
                for fn, fig in enumerate(claim.get("figures") or [], 1):
                    rows["figures"].append((doc_id, uid, cn, fn, fig.get("kind"), fig.get("low"), fig.get("best"),
                                            fig.get("high"), fig.get("qualifier"), fig.get("group"),
                                            fig.get("actor"), fig.get("text"), *_span(fig)))

    def set_clusters(self, clusters: list[dict]) -> None:
        """Replace every cluster (written by the clustering step after a batch run)."""
        crow, mrow = [], []
        for c in clusters:
            fat = c.get("fatalities") or {}
            members = list(c.get("members") or [])
            date = c.get("date")
            start, end = (date.get("start"), date.get("end")) if isinstance(date, dict) else (date, date)
            crow.append((
                str(c.get("id")), c.get("event_type"), c.get("sub_event_type"), _date(start), _date(end),
                c.get("country"),
                c.get("admin1"), c.get("location"), c.get("lat"), c.get("lon"), len(members),
                len(c.get("outlets") or []), fat.get("low"), fat.get("best"), fat.get("high"), c.get("contested"),
                json.dumps(c, ensure_ascii=False, default=str),
            ))
            mrow.extend((str(c.get("id")), uid, uid.rsplit("#", 1)[0]) for uid in members)
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                self._con.execute("DELETE FROM clusters")
                self._con.execute("DELETE FROM cluster_members")
                self._insert("clusters", crow)
                self._insert("cluster_members", mrow)
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    # -- reading --------------------------------------------------------------------------------

    def has(self, doc_id: str, content_hash: str | None = None) -> bool:
        """Is this document stored (with this content, when a hash is given)?"""
        if content_hash is None:
            return bool(self._rows("SELECT 1 FROM documents WHERE id = ? LIMIT 1", [doc_id]))
        return bool(self._rows("SELECT 1 FROM documents WHERE id = ? AND content_hash = ? LIMIT 1",
                               [doc_id, content_hash]))

    def stored_hashes(self) -> dict[str, str]:
        """id → content hash of every stored document (what `--resume` compares against)."""
        return dict(self._rows("SELECT id, content_hash FROM documents"))

    @staticmethod
    def _event_filters(date_from=None, date_to=None, country=None, admin1=None, event_type=None, actor=None,
                       source=None, contested: bool | None = None,
                       bbox: tuple[float, float, float, float] | None = None) -> tuple[list[str], list]:
        where: list[str] = []
        params: list = []
        if date_from:
            where.append("COALESCE(e.date_end, e.date_start) >= CAST(? AS DATE)")
            params.append(str(date_from))
        if date_to:
            where.append("e.date_start <= CAST(? AS DATE)")
            params.append(str(date_to))
        if country:
            where.append("upper(e.country) = upper(?)")
            params.append(country)
        if admin1:
            where.append("e.admin1 ILIKE ?")
            params.append(admin1)
        if event_type:
            where.append("(e.event_type = ? OR e.sub_event_type = ?)")
            params += [event_type, event_type]
        if actor:
            where.append("(list_contains(e.actor_ids, ?) OR e.actors ILIKE '%' || ? || '%')")
            params += [actor, actor]
        if source:
            where.append("(d.outlet ILIKE ? OR EXISTS (SELECT 1 FROM claims c WHERE c.event_uid = e.uid AND "
                         "(c.source_name ILIKE '%' || ? || '%' OR c.source_party = ?)))")
            params += [source, source, source]
        if contested is not None:
            where.append("e.contested = ?")
            params.append(bool(contested))
        if bbox:
            west, south, east, north = bbox
            where.append("e.lon BETWEEN ? AND ? AND e.lat BETWEEN ? AND ?")
            params += [west, east, south, north]
        return where, params

    def events(self, *, date_from=None, date_to=None, country=None, admin1=None, event_type=None, actor=None,
               source=None, contested: bool | None = None, bbox: tuple[float, float, float, float] | None = None,
               limit: int = 100, offset: int = 0) -> list[dict]:
        """Events matching every given filter, newest first; bbox is (west, south, east, north)."""
        where, params = self._event_filters(date_from, date_to, country, admin1, event_type, actor, source,
                                            contested, bbox)
        sql = (
            "SELECT e.json, e.doc_id, e.uid, "
            "(SELECT min(cm.cluster_id) FROM cluster_members cm WHERE cm.event_uid = e.uid), "
            "d.outlet, CAST(d.published AS VARCHAR), d.title, d.url "
            "FROM events e JOIN documents d ON d.id = e.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.date_start DESC NULLS LAST, e.uid LIMIT ? OFFSET ?"
        )
        return [self._event_row(r) for r in self._rows(sql, params + [int(limit), int(offset)])]

    @staticmethod
    def _event_row(r: tuple) -> dict:
        ev = json.loads(r[0])
        ev.update(doc_id=r[1], uid=r[2], cluster_id=r[3],
                  doc={"id": r[1], "outlet": r[4], "published": r[5], "title": r[6], "url": r[7]})
        return ev

    def count_events(self, **filters) -> int:
        """How many events the same filters as `events` match (for paging)."""
        where, params = self._event_filters(**filters)
        sql = ("SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc_id"
               + (" WHERE " + " AND ".join(where) if where else ""))
        return self._rows(sql, params)[0][0]

    def clusters(self, *, date_from=None, date_to=None, country=None, admin1=None, event_type=None, actor=None,
                 source=None, contested: bool | None = None, bbox: tuple[float, float, float, float] | None = None,
                 limit: int = 100, offset: int = 0) -> list[dict]:
        """Clusters with at least one member event matching the filters, newest first."""
        where, params = self._event_filters(date_from, date_to, country, admin1, event_type, actor, source,
                                            contested, bbox)
        sql = "SELECT c.json, c.id, c.n_members FROM clusters c"
        if where:
            sql += (" WHERE c.id IN (SELECT cm.cluster_id FROM cluster_members cm JOIN events e ON e.uid = "
                    "cm.event_uid JOIN documents d ON d.id = e.doc_id WHERE " + " AND ".join(where) + ")")
        sql += " ORDER BY c.date DESC NULLS LAST, c.id LIMIT ? OFFSET ?"
        out = []
        for js, cid, n in self._rows(sql, params + [int(limit), int(offset)]):
            c = json.loads(js)
            c.setdefault("id", cid)
            c["n_members"] = n
            out.append(c)
        return out

    def event(self, uid: str) -> dict | None:
        """One event by uid (`doc_id#E1`), with its document's metadata and cluster id."""
        rows = self._rows(
            "SELECT e.json, e.doc_id, e.uid, (SELECT min(cm.cluster_id) FROM cluster_members cm "
            "WHERE cm.event_uid = e.uid), d.outlet, CAST(d.published AS VARCHAR), d.title, d.url "
            "FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.uid = ?", [uid])
        if not rows:
            return None
        ev = self._event_row(rows[0])
        doc = self.document(ev["doc_id"]) or {}
        sources = {s["id"]: s for s in doc.get("sources") or []}
        for claim in ev.get("claims") or []:
            src = sources.get(claim.get("source")) or {}
            claim["source_name"], claim["source_kind"], claim["source_party"] = (
                src.get("name"), src.get("kind"), src.get("party"))
        return ev

    def cluster(self, cluster_id: str) -> dict | None:
        """One cluster with its member events, each with every claim and its source resolved."""
        rows = self._rows("SELECT json FROM clusters WHERE id = ?", [str(cluster_id)])
        if not rows:
            return None
        c = json.loads(rows[0][0])
        uids = [r[0] for r in self._rows(
            "SELECT event_uid FROM cluster_members WHERE cluster_id = ? ORDER BY event_uid", [str(cluster_id)])]
        c["member_events"] = [ev for ev in (self.event(u) for u in uids) if ev is not None]
        return c

    def document(self, doc_id: str) -> dict | None:
        """The stored rasd.document/1 object (or error object), plus `text` when it was kept."""
        rows = self._rows("SELECT json, text FROM documents WHERE id = ?", [doc_id])
        if not rows:
            return None
        doc = json.loads(rows[0][0])
        if rows[0][1] is not None:
            doc["text"] = rows[0][1]
        return doc

    def all_event_docs(self) -> Iterator[dict]:
        """Every stored document that has events, in id order (what clustering reads)."""
        cur = self._con.cursor()
        try:
            cur.execute("SELECT json FROM documents WHERE n_events > 0 ORDER BY id")
            while batch := cur.fetchmany(1000):
                for (js,) in batch:
                    yield json.loads(js)
        finally:
            cur.close()

    def stats(self) -> dict:
        """Corpus counts: documents, events, clusters, errors, and events by country/type/month/outlet."""
        one = lambda sql: self._rows(sql)[0][0]  # noqa: E731
        grouped = lambda sql: {str(k): v for k, v in self._rows(sql)}  # noqa: E731
        events = one("SELECT count(*) FROM events")
        contested = one("SELECT count(*) FROM events WHERE contested")
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "documents_with_events": one("SELECT count(*) FROM documents WHERE n_events > 0"),
            "errors": one("SELECT count(*) FROM documents WHERE error IS NOT NULL AND skipped IS NULL"),
            "skipped": one("SELECT count(*) FROM documents WHERE skipped IS NOT NULL"),
            "events": events,
            "clusters": one("SELECT count(*) FROM clusters"),
            "claims": one("SELECT count(*) FROM claims"),
            "figures": one("SELECT count(*) FROM figures"),
            "contested_share": round(contested / events, 4) if events else 0.0,
            "fatalities_best": one("SELECT COALESCE(sum(fatalities_best), 0) FROM events"),
            "by_country": grouped("SELECT COALESCE(country, '?') k, count(*) n FROM events GROUP BY k "
                                  "ORDER BY n DESC, k"),
            "by_type": grouped("SELECT event_type k, count(*) n FROM events GROUP BY k ORDER BY n DESC, k"),
            "by_month": grouped("SELECT COALESCE(strftime(date_start, '%Y-%m'), '?') k, count(*) n FROM events "
                                "GROUP BY k ORDER BY k"),
            "by_outlet": grouped("SELECT COALESCE(d.outlet, '?') k, count(*) n FROM events e JOIN documents d "
                                 "ON d.id = e.doc_id GROUP BY k ORDER BY n DESC, k"),
            "documents_by_outlet": grouped("SELECT COALESCE(outlet, '?') k, count(*) n FROM documents GROUP BY k "
                                           "ORDER BY n DESC, k"),
            "errors_by_stage": grouped("SELECT stage k, count(*) n FROM errors GROUP BY k ORDER BY n DESC, k"),
            "error_reasons": grouped(
                f"SELECT {_REASON} k, count(*) n FROM errors GROUP BY k ORDER BY n DESC, k LIMIT 20"),
        }

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Run any SQL (read-only stores refuse writes); returns (column names, rows)."""
        cur = self._con.cursor()
        try:
            cur.execute(sql)
            if cur.description is None:
                return [], []
            return [d[0] for d in cur.description], cur.fetchall()
        finally:
            cur.close()
