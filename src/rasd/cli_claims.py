"""`rasd claims PATH`: per event, a table of source × figure with stances — who says what."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rasd.io.readers import read_path


def _figure_label(f: dict) -> str:
    rng = ""
    if f["qualifier"] != "exact" and (f.get("low"), f.get("high")) != (f["best"], f["best"]):
        rng = f" [{f.get('low') if f.get('low') is not None else '?'}–{f.get('high') if f.get('high') is not None else '?'}]"
    return f"{f['kind']} {f['best']}{rng} {f['group']}"


def claims_table(doc: dict, event: dict) -> Table:
    """One row per claim: the source (and its kind/side), its stance, and each figure it gives."""
    sources = {s["id"]: s for s in doc.get("sources", [])}
    loc = (event.get("location") or {}).get("name") or "?"
    date = (event.get("date") or {}).get("start") or "?"
    fat = event["fatalities"]
    title = (f"{event['id']} {event['event_type']} / {event['sub_event_type']} — {loc}, {date} — "
             f"fatalities low {fat['low']} / best {fat['best']} / high {fat['high']}"
             + (" — CONTESTED" if event.get("contested") else ""))
    table = Table(title=title, show_lines=True, title_justify="left")
    table.add_column("source")
    table.add_column("kind / side")
    table.add_column("stance")
    table.add_column("figures")
    table.add_column("says (evidence)", overflow="fold", max_width=60)
    for claim in event.get("claims", []):
        src = sources.get(claim["source"], {})
        name = src.get("name_ar") or src.get("name") or claim["source"]
        if src.get("name") and src.get("name_ar"):
            name = f"{src['name_ar']} ({src['name']})"
        stance = "[bold red]DENIES[/bold red]" if claim["stance"] == "denies" else "asserts"
        figures = "\n".join(_figure_label(f) for f in claim.get("figures", [])) or "—"
        table.add_row(name, f"{src.get('kind', '?')} / {src.get('party') or '—'}", stance, figures, claim["text"])
    return table


def print_claims(doc: dict, console: Console) -> None:
    console.rule(f"{doc['doc'].get('id') or 'document'} ({doc['doc'].get('published') or 'no date'})")
    if doc.get("error"):
        console.print(f"[yellow]not read:[/yellow] {doc['error']}")
        return
    events = [e for e in doc.get("events", []) if e.get("claims")]
    if not events:
        console.print("no claims")
    for event in events:
        console.print(claims_table(doc, event))


def register(app: typer.Typer) -> None:
    @app.command("claims")
    def claims_cmd(
        paths: Annotated[list[str], typer.Argument(help="articles (.txt/.html/.jsonl, - for stdin) or rasd output JSONL")],
        published: Annotated[str | None, typer.Option(help="ISO date for relative dates")] = None,
        outlet: Annotated[str | None, typer.Option(help="outlet name")] = None,
    ) -> None:
        """Show, per event, which source claims which figure and who denies it."""
        from rasd.cli import extract_record

        console = Console()
        for path in paths:
            for rec in _records(path):
                doc = rec if rec.get("schema") == "rasd.document/1" else extract_record(rec, published, outlet)
                print_claims(doc, console)


def _records(path: str):
    """Rasd output lines pass through; anything else is read as input documents."""
    p = Path(path)
    if path != "-" and p.suffix == ".jsonl" and p.exists():
        with p.open(encoding="utf-8") as fh:
            first = fh.readline()
        try:
            if json.loads(first).get("schema") == "rasd.document/1":
                with p.open(encoding="utf-8") as fh:
                    yield from (json.loads(line) for line in fh if line.strip())
                return
        except (json.JSONDecodeError, AttributeError):
            pass
    yield from read_path(path)
