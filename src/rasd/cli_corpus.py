"""Corpus-scale commands: `rasd batch` (extract many documents into a store), `rasd query`, `rasd stats`."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from rasd.io.readers import count_records, read_path
from rasd.store import Store, content_hash

out = Console()
err = Console(stderr=True)
DEFAULT_DB = "rasd.duckdb"
WRITE_EVERY = 1000


def _records(inputs: list[str], stored: dict[str, str], limit: int | None, seen: Counter) -> Iterator[dict]:
    """Records of every input in order; with `stored` (resume), those already stored are passed over.

    An id met again in the same run with the same text is a duplicate and is dropped; with another
    text it is a different article under a reused id and becomes `id~2`, `id~3`, ... (in input order,
    so the renaming is the same on every run and `--resume` stays stable).
    """
    n = 0
    first: dict[str, str] = {}
    variants: dict[str, dict[str, str]] = {}  # only for reused ids: text hash -> id given
    for path in inputs:
        for rec in read_path(path):
            if limit is not None and n >= limit:
                return
            n += 1
            rid, h = str(rec.get("id")), content_hash(rec.get("text") or "")
            if rid not in first:
                first[rid] = h
            else:
                other = variants.setdefault(rid, {})
                if first[rid] == h or h in other:
                    seen["duplicates"] += 1
                    continue
                other[h] = f"{rid}~{len(other) + 2}"
                rec["id"] = rid = other[h]
            if stored and stored.get(rid) == h:
                seen["resumed"] += 1
                continue
            yield rec


def run_batch(inputs: list[str], db: str | Path, jobs: int = 1, resume: bool = False, engine: str = "local",
              scheduler: str | None = None, chunk_size: int = 32, store_text: bool = True,
              limit: int | None = None, parts_dir: str | Path | None = None, cluster: bool = True,
              progress: bool = True) -> dict:
    """Extract every record of `inputs` into the store at `db`; returns the run's counts and timings."""
    started = time.perf_counter()
    seen: Counter = Counter()
    store = Store(db)
    try:
        stored = store.stored_hashes() if resume else {}
        total = count_records(inputs)
        if total is not None and limit is not None:
            total = min(total, limit)
        chunks = _chunks(_records(inputs, stored, limit, seen), chunk_size)
        if engine == "dask":
            from rasd.engines.dask_engine import run_dask

            parts = Path(parts_dir) if parts_dir else Path(str(db) + ".parts")
            results = run_dask(chunks, jobs, parts, scheduler)
        elif engine == "local":
            from rasd.engines.local import run_local

            results = run_local(chunks, jobs)
        else:
            raise ValueError(f"unknown engine {engine!r} (local or dask)")
        reasons: Counter = Counter()
        with _progress(progress, total) as bar:
            task = bar.add_task("extracting", total=total, rate="0", events=0, errors=0)
            t0 = time.perf_counter()
            buffer: list[dict] = []
            texts: dict[str, str] = {}
            for recs, res in results:
                # the store is written a few hundred documents at a time: fewer, larger DuckDB inserts
                texts.update((str(r.get("id")), r.get("text") or "") for r in recs)
                buffer.extend(res)
                if len(buffer) >= WRITE_EVERY:
                    seen["stored"] += store.add_documents(buffer, texts, store_text=store_text)
                    buffer, texts = [], {}
                seen["documents"] += len(res)
                seen["events"] += sum(len(r.get("events") or []) for r in res)
                for r in res:
                    if r.get("error"):
                        seen["skipped" if r.get("skipped") else "errors"] += 1
                        reasons[_reason(r["error"])] += 1
                done = seen["documents"] + seen["resumed"] + seen["duplicates"]
                rate = seen["documents"] / max(time.perf_counter() - t0, 1e-9)
                bar.update(task, completed=done, rate=f"{rate:.1f}", events=seen["events"],
                           errors=seen["errors"] + seen["skipped"])
            seen["stored"] += store.add_documents(buffer, texts, store_text=store_text)
        extract_s = time.perf_counter() - t0
        clusters, cluster_s, cluster_error = None, 0.0, None
        if cluster:
            try:
                clusters, cluster_s = _cluster(store)
            except Exception as exc:  # noqa: BLE001 - the extracted documents are stored either way
                cluster_error = f"{type(exc).__name__}: {exc}"
        st = store.stats()
    finally:
        store.close()
    return {
        "db": str(db), "engine": engine, "jobs": jobs, "inputs": inputs,
        "documents_read": seen["documents"] + seen["resumed"] + seen["duplicates"],
        "already_stored": seen["resumed"], "duplicates": seen["duplicates"],
        "extracted": seen["documents"], "stored": seen["stored"], "events": seen["events"],
        "errors": seen["errors"], "skipped": seen["skipped"], "error_reasons": dict(reasons.most_common(10)),
        "clusters": clusters, "cluster_error": cluster_error, "extract_seconds": round(extract_s, 2), "cluster_seconds": round(cluster_s, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
        "docs_per_second": round(seen["documents"] / extract_s, 2) if extract_s > 0 else None,
        "db_bytes": Path(db).stat().st_size if Path(db).exists() else None,
        "store": {k: st[k] for k in ("documents", "events", "clusters", "errors", "skipped")},
    }


def _chunks(records: Iterator[dict], size: int) -> Iterator[list[dict]]:
    from rasd.engines.local import batched

    return batched(records, max(1, size))


def _reason(message: str) -> str:
    import re

    return re.sub(r"\d+", "N", message.split(" got ")[0])[:80]


def _cluster(store: Store) -> tuple[int | None, float]:
    """Cross-document clustering when `rasd.cluster` is installed; the extracted data is kept if it fails."""
    try:
        from rasd.cluster import cluster_events
    except ModuleNotFoundError as exc:
        if exc.name == "rasd.cluster":
            return None, 0.0
        raise
    t0 = time.perf_counter()
    clusters = cluster_events(store.all_event_docs())
    store.set_clusters(clusters)
    return len(clusters), time.perf_counter() - t0


class _LogProgress:
    """Progress as plain log lines when stderr is not a terminal (e.g. a `nohup` run)."""

    def __init__(self, total: int | None) -> None:
        self.total, self.last, self.fields = total, 0.0, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._print()

    def add_task(self, *_a, **fields):
        self.fields = dict(fields)
        return 0

    def update(self, _task, **fields):
        self.fields.update(fields)
        if time.monotonic() - self.last > 30:
            self._print()

    def _print(self):
        self.last = time.monotonic()
        f = self.fields
        print(f"{time.strftime('%H:%M:%S')} {f.get('completed', 0)}/{self.total or '?'} documents, "
              f"{f.get('rate')} docs/s, {f.get('events')} events, {f.get('errors')} errors", file=sys.stderr,
              flush=True)


def _progress(enabled: bool, total: int | None):
    if not enabled:
        return _Quiet()
    if not err.is_terminal:
        return _LogProgress(total)
    return Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"), TextColumn("[green]{task.fields[events]} events"),
        TextColumn("[yellow]{task.fields[errors]} errors"), TimeRemainingColumn(), console=err,
    )


class _Quiet(_LogProgress):
    def __init__(self) -> None:
        super().__init__(None)

    def update(self, _task, **fields):
        pass

    def __exit__(self, *exc):
        pass


def _print_rows(columns: list[str], rows: list[tuple], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(str(c), overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)


def _open(db: Path) -> Store:
    if not db.exists():
        err.print(f"[red]error:[/red] no store at {db} (create one with `rasd batch INPUT --db {db}`)")
        raise typer.Exit(2)
    return Store(db, read_only=True)


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch_cmd(
        inputs: Annotated[list[str], typer.Argument(help="files (.jsonl(.gz), .txt, .html, RSS/Atom, WARC, Parquet) "
                                                    "or directories")],
        db: Annotated[Path, typer.Option(help="the DuckDB store (created when missing)")] = Path(DEFAULT_DB),
        jobs: Annotated[int, typer.Option("--jobs", "-j", help="worker processes")] = 1,
        resume: Annotated[bool, typer.Option(help="skip documents already stored with the same content")] = False,
        engine: Annotated[str, typer.Option(help="local (process pool) or dask")] = "local",
        scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster)")] = None,
        chunk_size: Annotated[int | None, typer.Option(help="documents per task (default 128; dask: 256, one "
                                                         "Parquet partition each)")] = None,
        limit: Annotated[int | None, typer.Option(help="read at most this many records (a sample run)")] = None,
        store_text: Annotated[bool, typer.Option(help="keep each document's text in the store")] = True,
        parts_dir: Annotated[Path | None, typer.Option(help="Parquet partitions folder (dask; default DB.parts)")] = None,
        cluster: Annotated[bool, typer.Option(help="cluster events across documents after extraction")] = True,
        report: Annotated[Path | None, typer.Option(help="also write the run's counts and timings as JSON here")] = None,
    ) -> None:
        """Extract a corpus into a DuckDB store, in parallel; bad documents are recorded, never fatal."""
        for path in inputs:
            if not Path(path).exists():
                err.print(f"[red]error:[/red] no such file: {path}")
                raise typer.Exit(2)
        if engine not in ("local", "dask"):
            err.print(f"[red]error:[/red] --engine must be local or dask, not {engine!r}")
            raise typer.Exit(2)
        summary = run_batch(inputs, db, jobs=jobs, resume=resume, engine=engine, scheduler=scheduler,
                            chunk_size=chunk_size or (256 if engine == "dask" else 128), store_text=store_text, limit=limit, parts_dir=parts_dir,
                            cluster=cluster)
        if report:
            report.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        keys = ("documents_read", "already_stored", "duplicates", "extracted", "stored", "events", "errors",
                "skipped", "clusters", "extract_seconds", "cluster_seconds", "docs_per_second", "db_bytes")
        rows = [(k, summary[k]) for k in keys]
        rows += [(f"error: {k}", v) for k, v in summary["error_reasons"].items()]
        _print_rows(["", str(db)], rows, title="rasd batch")
        if summary["cluster_error"]:
            err.print(f"[red]clustering failed:[/red] {summary['cluster_error']} (the documents are stored; "
                      "rerun with --resume to cluster again)")
            raise typer.Exit(1)

    @app.command("query")
    def query_cmd(
        sql: Annotated[str, typer.Argument(help="SQL over the store's tables (see docs/store.md)")],
        db: Annotated[Path, typer.Option(help="the DuckDB store")] = Path(DEFAULT_DB),
        as_json: Annotated[bool, typer.Option("--json", help="print rows as JSON objects, one per line")] = False,
    ) -> None:
        """Run SQL on a store (read-only) and print the result as a table."""
        import duckdb

        with _open(db) as store:
            try:
                columns, rows = store.query(sql)
            except duckdb.Error as exc:
                err.print(f"[red]SQL error:[/red] {exc}")
                raise typer.Exit(1) from exc
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str)
                                 + "\n")
        else:
            _print_rows(columns, rows)

    @app.command("stats")
    def stats_cmd(
        db: Annotated[Path, typer.Option(help="the DuckDB store")] = Path(DEFAULT_DB),
        as_json: Annotated[bool, typer.Option("--json", help="print the statistics as JSON")] = False,
        top: Annotated[int, typer.Option(help="rows per breakdown")] = 10,
    ) -> None:
        """Corpus statistics: documents, events, clusters, errors, and events by country/type/month/outlet."""
        with _open(db) as store:
            st = store.stats()
        if as_json:
            sys.stdout.write(json.dumps(st, ensure_ascii=False, indent=2) + "\n")
            return
        _print_rows(["", "count"], [(k, v) for k, v in st.items() if not isinstance(v, dict)], title=str(db))
        for key in ("by_type", "by_country", "by_outlet", "by_month", "errors_by_stage", "error_reasons"):
            items = list(st[key].items())
            if key == "by_month":
                items = items[-top:]
            _print_rows([key.replace("_", " "), "n"], items[:top])
