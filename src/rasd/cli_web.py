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
        host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        workers: Annotated[int, typer.Option(help="server processes (extraction is CPU-bound: one per core)")] = 1,
    ) -> None:
        """Serve the API (/v1, OpenAPI at /docs) and the Analyse / Explore page on http://HOST:PORT/."""
        import uvicorn

        os.environ["RASD_DB"] = db
        os.environ["RASD_LOAD"] = os.pathsep.join(str(p) for p in load or [])
        for p in load or []:
            if not p.exists():
                typer.echo(f"error: no such file: {p}", err=True)
                raise typer.Exit(2)
        typer.echo(f"rasd: serving on http://{host}:{port}/  (API docs at /docs)", err=True)
        uvicorn.run("rasd.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
