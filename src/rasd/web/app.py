"""The HTTP API (`/v1/...`) and the single analyst page, served by one FastAPI app.

Extraction works with no store at all; the store endpoints answer 503 with the reason when the
DuckDB store (`rasd.store`) or the exporter (`rasd.io.export`) is not there, so the page can still
be used to analyse articles.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from rasd.pipeline import MAX_CHARS, ExtractionError, extract
from rasd.text.input import clean_input

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 2 * 1024 * 1024 * 4 + 64 * 1024  # 2 M characters of Arabic in UTF-8, escaped JSON
MAX_TEXT_CHARS = MAX_CHARS
MAX_PAGE = 1000
EXPORT_FORMATS = {
    "acled-csv": ("text/csv; charset=utf-8", "csv"),
    "ucdp-csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "jsonl": ("application/x-ndjson", "jsonl"),
}


class ExtractRequest(BaseModel):
    """One article to code: its text and the metadata that anchors dates and names the outlet."""

    text: str = Field(description="The article: Arabic plain text or an HTML page (at most 2,000,000 characters).")
    published: str | None = Field(None, description="ISO date (YYYY-MM-DD) relative dates are anchored to.")
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    id: str | None = None


class StoreUnavailable(Exception):
    """Why the store endpoints cannot answer (no store module, no database file...)."""


def _open_store(db: str | None) -> Any:
    """Open the DuckDB store read-only; raise StoreUnavailable with a reason a user can act on."""
    if not db:
        raise StoreUnavailable("no store configured: start the server with `rasd serve --db rasd.duckdb`")
    try:
        module = importlib.import_module("rasd.store")
    except ModuleNotFoundError as exc:
        raise StoreUnavailable(f"the event store is not available in this installation ({exc})") from exc
    store_cls = getattr(module, "Store", None)
    if store_cls is None:
        raise StoreUnavailable("the event store is not available in this installation (rasd.store.Store missing)")
    if not Path(db).exists():
        raise StoreUnavailable(f"no store at {db}: build one with `rasd batch ARTICLES --db {db}`")
    try:
        return store_cls(db, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is reported, not raised
        raise StoreUnavailable(f"cannot open the store {db}: {exc}") from exc


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except ValueError as exc:
        raise HTTPException(400, f"bbox must be four numbers west,south,east,north; got {value!r}") from exc
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90 and west <= east):
        raise HTTPException(400, f"bbox out of range or inverted (west,south,east,north): {value!r}")
    return west, south, east, north


def _date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise HTTPException(400, f"{name} must be an ISO date YYYY-MM-DD; got {value!r}") from exc


def filters(
    date_from: Annotated[str | None, Query(description="events on or after (YYYY-MM-DD)")] = None,
    date_to: Annotated[str | None, Query(description="events on or before (YYYY-MM-DD)")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2, e.g. SY")] = None,
    admin1: Annotated[str | None, Query(description="ADM1 name as in the records, e.g. Idlib")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type, e.g. Battles")] = None,
    actor: Annotated[str | None, Query(description="actor registry id or name")] = None,
    source: Annotated[str | None, Query(description="source or outlet name / id")] = None,
    contested: Annotated[bool | None, Query()] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
) -> dict[str, Any]:
    """The store filters shared by the list and export endpoints, checked (400 with the reason)."""
    if date_from and date_to and _date(date_from, "date_from") > _date(date_to, "date_to"):  # type: ignore[operator]
        raise HTTPException(400, "date_from is after date_to")
    return {"date_from": _date(date_from, "date_from"), "date_to": _date(date_to, "date_to"),
            "country": country, "admin1": admin1, "event_type": event_type, "actor": actor,
            "source": source, "contested": contested, "bbox": _bbox(bbox)}


Filters = Annotated[dict, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size (≤ {MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0)]


def create_app(db: str | None = None, store: Any = None) -> FastAPI:
    """Build the app. `store` (any object with the Store read API) wins over `db` (a DuckDB path)."""
    app = FastAPI(
        title="rasd API",
        version="1",
        description="Arabic conflict reports → source-attributed event records (rasd.document/1).",
    )
    state: dict[str, Any] = {"store": store, "db": db, "error": None}

    def get_store() -> Any:
        if state["store"] is None:
            try:
                state["store"] = _open_store(state["db"])
            except StoreUnavailable as exc:
                raise HTTPException(503, str(exc)) from exc
        return state["store"]

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        """Refuse oversized bodies before reading them."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse({"detail": f"request body too large: {int(length)} bytes "
                                           f"(limit {MAX_BODY_BYTES}, i.e. about {MAX_TEXT_CHARS:,} characters)"},
                                status_code=413)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        """Malformed JSON is a 400 with the parser's message; a wrong field is a 422 naming the field."""
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse({"detail": "malformed JSON body: " + "; ".join(
                str(e.get("ctx", {}).get("error", e.get("msg"))) for e in errors)}, status_code=400)
        parts = []
        for e in errors:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
            parts.append(f"{where}: {e.get('msg')}")
        return JSONResponse({"detail": "invalid request: " + "; ".join(parts), "errors": jsonable(errors)},
                            status_code=422)

    # -- health and the page ------------------------------------------------------------------

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict:
        """Liveness, and whether the store endpoints can answer (with the reason when not)."""
        out: dict[str, Any] = {"status": "ok", "schema": "rasd.document/1"}
        try:
            st = get_store()
            out["store"] = "ok"
            try:
                out["stats"] = st.stats()
            except Exception as exc:  # noqa: BLE001
                out["stats_error"] = str(exc)
        except HTTPException as exc:
            out["store"] = "unavailable"
            out["store_error"] = exc.detail
        return out

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- extraction ---------------------------------------------------------------------------

    @app.post("/v1/extract", tags=["extract"])
    def extract_endpoint(
        req: Annotated[ExtractRequest, Body()],
        include_text: Annotated[bool, Query(description="add the text the spans index (the page's visible "
                                                        "text for HTML input) as `text`")] = False,
    ) -> JSONResponse:
        """Code one article: returns a `rasd.document/1` object. 413 when too large, 422 when unusable."""
        if len(req.text) > MAX_TEXT_CHARS:
            raise HTTPException(413, f"text too large: {len(req.text):,} characters (limit {MAX_TEXT_CHARS:,})")
        try:
            doc = extract(req.text, published=req.published, outlet=req.outlet, doc_id=req.id,
                          title=req.title, url=req.url)
        except ExtractionError as exc:
            raise HTTPException(422, str(exc)) from exc
        out = doc.model_dump(mode="json", by_alias=True)
        if include_text:
            out["text"] = clean_input(req.text)[0]
        return JSONResponse(out)

    # -- the store ----------------------------------------------------------------------------

    def page(kind: str, f: dict, limit: int, offset: int) -> dict:
        st = get_store()
        items = getattr(st, kind)(**f, limit=limit, offset=offset)
        return {"items": items, "count": len(items), "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(items) == limit else None}

    @app.get("/v1/events", tags=["store"])
    def list_events(f: Filters, limit: Limit = 100, offset: Offset = 0) -> dict:
        """Events in the store, one row per document's event, filtered and paged."""
        return page("events", f, limit, offset)

    @app.get("/v1/clusters", tags=["store"])
    def list_clusters(f: Filters, limit: Limit = 100, offset: Offset = 0) -> dict:
        """Cross-outlet clusters (one real event reported by several documents), filtered and paged."""
        return page("clusters", f, limit, offset)

    def one(kind: str, key: str) -> dict:
        item = getattr(get_store(), kind)(key)
        if item is None:
            raise HTTPException(404, f"no {kind} with id {key!r} in the store")
        return item

    @app.get("/v1/events/{uid:path}", tags=["store"])
    def get_event(uid: str) -> dict:
        return one("event", uid)

    @app.get("/v1/clusters/{cluster_id}", tags=["store"])
    def get_cluster(cluster_id: str) -> dict:
        """A cluster with every member document's event and claims."""
        return one("cluster", cluster_id)

    @app.get("/v1/documents/{doc_id:path}", tags=["store"])
    def get_document(doc_id: str) -> dict:
        """A stored document's rasd.document/1 (with its text when the store keeps it)."""
        return one("document", doc_id)

    @app.get("/v1/export", tags=["store"])
    def export(
        f: Filters,
        format: Annotated[str, Query(description="acled-csv | ucdp-csv | geojson | parquet | jsonl")] = "acled-csv",
        limit: Annotated[int, Query(ge=1, le=1_000_000)] = 100_000,
    ) -> Response:
        """The filtered store in one of the corpus export formats, as a download."""
        if format not in EXPORT_FORMATS:
            raise HTTPException(400, f"unknown format {format!r}; one of {', '.join(EXPORT_FORMATS)}")
        st = get_store()
        try:
            write_export = importlib.import_module("rasd.io.export").write_export
        except (ModuleNotFoundError, AttributeError) as exc:
            raise HTTPException(503, f"exports are not available in this installation ({exc})") from exc
        clusters = st.clusters(**f, limit=limit, offset=0)
        events = st.events(**f, limit=limit, offset=0)
        media, ext = EXPORT_FORMATS[format]
        tmpdir = tempfile.mkdtemp(prefix="rasd-export-")
        out = Path(tmpdir) / f"rasd-export.{ext}"
        try:
            write_export(format, clusters, events, out)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
        return FileResponse(out, media_type=media, filename=out.name,
                            background=BackgroundTask(_cleanup, Path(tmpdir)))

    app.state.rasd = state
    return app


def _cleanup(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink(missing_ok=True)
    folder.rmdir()


def jsonable(value: Any) -> Any:
    """Validation errors can carry exceptions and bytes; keep what JSON can hold."""
    return json.loads(json.dumps(value, default=str))


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (`--workers N`): the configuration travels in environment variables."""
    db = os.environ.get("RASD_DB") or None
    load = [p for p in (os.environ.get("RASD_LOAD") or "").split(os.pathsep) if p]
    store = None
    if load:
        from rasd.web.loader import load_store

        store = load_store(load)
    return create_app(db=db, store=store)
