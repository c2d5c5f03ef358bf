"""`rasd serve`: the HTTP API and the analyst's page (registered into the main CLI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add `rasd serve` to the main command line."""

    @app.command("serve")
    def serve(
        db: Annotated[str, typer.Option(help="DuckDB store built by `rasd batch` (read-only)")] = "rasd.duckdb",
        load: Annotated[list[Path] | None, typer.Option(
            help="articles or rasd.document/1 JSONL to hold in memory instead of a store (repeatable)")] = None,
        published: Annotated[str | None, typer.Option(
            help="with --load: the date records without one were published (anchors their relative dates)")] = None,
        host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        jobs: Annotated[int | None, typer.Option(
            help="extraction processes (default: one per CPU; 0 = extract inside the server process)")] = None,
    ) -> None:
        """Serve the API (/v1, OpenAPI at /docs) and the Analyse / Explore page on http://HOST:PORT/."""
        import uvicorn

        os.environ["RASD_DB"] = db
        os.environ["RASD_LOAD"] = os.pathsep.join(str(p) for p in load or [])
        os.environ["RASD_PUBLISHED"] = published or ""
        for p in load or []:
            if not p.exists():
                typer.echo(f"error: no such file: {p}", err=True)
                raise typer.Exit(2)
        os.environ["RASD_JOBS"] = str((os.cpu_count() or 1) if jobs is None else max(0, jobs))
        typer.echo(f"rasd: serving on http://{host}:{port}/  (API docs at /docs)", err=True)
        uvicorn.run("rasd.web.app:app_from_env", factory=True, host=host, port=port, log_level="warning")
