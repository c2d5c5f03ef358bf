"""The HTTP API (`/v1/...`) and the single analyst page, served by one FastAPI app.

Extraction works with no store at all; the store endpoints answer 503 with the reason when the
DuckDB store (`rasd.store`) or the exporter (`rasd.io.export`) is not there, so the page can still
be used to analyse articles.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import os
import tempfile
import threading
from collections import OrderedDict, deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from rasd.pipeline import MAX_CHARS, ExtractionError, extract
from rasd.text.input import clean_input

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 6 * MAX_CHARS + 1024 * 1024  # 2 M characters as \uXXXX escapes, plus metadata
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


WARM_UP = ("أعلنت وزارة الدفاع، اليوم الخميس، مقتل 12 مسلحاً في غارات جوية على مدينة إدلب. "
           "ونفى المرصد السوري لحقوق الإنسان ذلك.")


def extract_json(text: str, published: str | None, outlet: str | None, doc_id: str | None, title: str | None,
                 url: str | None, include_text: bool) -> bytes:
    """Extract one article to its JSON bytes (module level, so a process pool can run it)."""
    doc = extract(text, published=published, outlet=outlet, doc_id=doc_id, title=title, url=url)
    out = doc.model_dump(mode="json", by_alias=True)
    if include_text:
        out["text"] = clean_input(text)[0]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _warm_up() -> None:
    """Load lexicons and the gazetteer in a pool process before its first request."""
    extract_json(WARM_UP, "2020-01-16", None, None, None, None, False)


def make_pool(jobs: int) -> ProcessPoolExecutor:
    """Extraction processes fed from one queue: requests are spread evenly over the cores, in order."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_warm_up)
    list(pool.map(_noop, range(jobs * 4)))  # start every process (and its warm-up) now
    return pool


def _noop(_: int) -> None:
    return None


class FifoLock:
    """A lock that serves waiters in arrival order (threading.Lock does not, which spreads latency)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._busy = False

    def __enter__(self) -> None:
        with self._guard:
            if not self._busy:
                self._busy = True
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()  # handed over: stays busy
            else:
                self._busy = False


class ResultCache:
    """The last N extraction results as JSON bytes, keyed by the whole request.

    Why: analysts and pipelines resubmit the same article (retries, reloads, a page opened twice);
    answering those from memory keeps the CPU for new articles. Extraction is deterministic, so a
    cached answer is the answer.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple, value: bytes) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def create_app(db: str | None = None, store: Any = None, cache_size: int = 256, jobs: int = 0) -> FastAPI:
    """Build the app. `store` (any object with the Store read API) wins over `db` (a DuckDB path).

    `jobs` > 0 runs extraction in that many processes (started with the app); 0 runs it in this
    process, one request at a time in arrival order.
    """
    pool_box: dict[str, ProcessPoolExecutor | None] = {"pool": None}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if jobs > 0:
            pool_box["pool"] = await asyncio.get_running_loop().run_in_executor(None, make_pool, jobs)
        try:
            yield
        finally:
            if pool_box["pool"] is not None:
                pool_box["pool"].shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        lifespan=lifespan,
        title="rasd API",
        version="1",
        description="Arabic conflict reports → source-attributed event records (rasd.document/1).",
        docs_url=None,  # served below from the packaged Swagger UI: no CDN
        redoc_url=None,
    )
    state: dict[str, Any] = {"store": store, "db": db, "error": None}
    cache = ResultCache(cache_size)
    # Without a pool, one extraction at a time: extraction is pure Python, so threads would only share
    # the interpreter lock and every request in flight would finish late; in turn they finish early.
    extract_lock = FifoLock()

    def extract_here(*args: Any) -> bytes:
        with extract_lock:
            return extract_json(*args)

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
            return JSONResponse({"detail": f"request body too large: {int(length):,} bytes "
                                           f"(limit {MAX_BODY_BYTES:,}; text at most {MAX_TEXT_CHARS:,} characters)"},
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

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """OpenAPI docs with the Swagger UI files shipped in the package (works offline)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="rasd API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css", swagger_favicon_url="data:,",
                                   swagger_ui_parameters={"validatorUrl": None})

    # -- extraction ---------------------------------------------------------------------------

    @app.post("/v1/extract", tags=["extract"])
    async def extract_endpoint(
        req: Annotated[ExtractRequest, Body()],
        include_text: Annotated[bool, Query(description="add the text the spans index (the page's visible "
                                                        "text for HTML input) as `text`")] = False,
    ) -> Response:
        """Code one article: returns a `rasd.document/1` object. 413 when too large, 422 when unusable."""
        if len(req.text) > MAX_TEXT_CHARS:
            raise HTTPException(413, f"text too large: {len(req.text):,} characters (limit {MAX_TEXT_CHARS:,})")
        args = (req.text, req.published, req.outlet, req.id, req.title, req.url, include_text)
        cached = cache.get(args)
        if cached is not None:
            return Response(cached, media_type="application/json", headers={"X-Rasd-Cache": "hit"})
        loop = asyncio.get_running_loop()
        pool = pool_box["pool"]
        try:
            if pool is not None:
                body = await loop.run_in_executor(pool, extract_json, *args)
            else:
                body = await loop.run_in_executor(None, extract_here, *args)
        except ExtractionError as exc:
            raise HTTPException(422, str(exc)) from exc
        cache.put(args, body)
        return Response(body, media_type="application/json", headers={"X-Rasd-Cache": "miss"})

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
    """The app `rasd serve` runs (uvicorn factory): its configuration travels in environment variables."""
    db = os.environ.get("RASD_DB") or None
    load = [p for p in (os.environ.get("RASD_LOAD") or "").split(os.pathsep) if p]
    store = None
    if load:
        import sys

        from rasd.web.loader import load_store

        def progress(n: int) -> None:
            if n % 50 == 0:
                print(f"rasd: {n} documents extracted…", file=sys.stderr, flush=True)

        store = load_store(load, progress, published=os.environ.get("RASD_PUBLISHED") or None)
        stats = store.stats()
        print(f"rasd: in-memory store ready: {stats['documents']} documents, {stats['events']} events, "
              f"{stats['clusters']} clusters", file=sys.stderr, flush=True)
    return create_app(db=db, store=store, jobs=int(os.environ.get("RASD_JOBS") or 0))
