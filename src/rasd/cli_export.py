"""`rasd cluster run|show` and `rasd export`: cross-document clusters from the store, and files analysts load.

Registered by `rasd.cli` when present (see `register`). Both read the DuckDB store written by
`rasd batch` (`rasd.store.Store`); clustering itself is `rasd.cluster.cluster_events`, the writers
are `rasd.io.export.write_export`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rasd.io.export import FORMATS, write_export

DEFAULT_DB = "rasd.duckdb"
ALL = 10**9
err = Console(stderr=True)


def _store(db: Path, read_only: bool = True):
    from rasd.store import Store

    if not db.exists():
        err.print(f"[red]error:[/red] no store at {db} (create one with `rasd batch INPUT --db {db}`)")
        raise typer.Exit(2)
    return Store(db, read_only=read_only)


def load_clusters(store, **filters) -> list[dict]:
    """The store's clusters matching the filters; computed on the fly when the store has none yet."""
    clusters = store.clusters(limit=ALL, **filters)
    if clusters or store.clusters(limit=1):
        return clusters
    from rasd.cluster import cluster_events

    computed = cluster_events(store.all_event_docs())
    return [c for c in computed if _matches(c, **filters)]


def _matches(c: dict, date_from=None, date_to=None, country=None, event_type=None, **_) -> bool:
    start = (c.get("date") or {}).get("start") or ""
    end = (c.get("date") or {}).get("end") or start
    if date_from and end < str(date_from):
        return False
    if date_to and start > str(date_to):
        return False
    if country and (c.get("country") or "").upper() != country.upper():
        return False
    return not event_type or event_type in (c.get("event_type"), c.get("sub_event_type"))


def _cells(*values) -> list[str]:
    """Table cells as plain text: evidence may contain [brackets] that rich would read as markup."""
    return [escape(str(v)) if v is not None else "" for v in values]


def _num(v) -> str:
    return "—" if v is None else str(v)


def render_cluster(c: dict, console: Console) -> None:
    """The analyst's view: where/when/what, who reported it, every source's figures, the reconciled toll."""
    date = c.get("date") or {}
    when = date.get("start") or "?"
    if date.get("end") and date.get("end") != date.get("start"):
        when += f" → {date['end']}"
    place = ", ".join(p for p in (c.get("location"), c.get("admin1"), c.get("country")) if p)
    console.print(f"[bold]{c['id']}[/bold]  {c.get('event_type')} / {c.get('sub_event_type')}")
    console.print(f"  {when}  {place}  ({_num(c.get('lat'))}, {_num(c.get('lon'))}; geo_precision "
                  f"{_num(c.get('geo_precision'))})")
    actors = ", ".join(escape(f"{a.get('name')} [{a.get('role')}]") for a in c.get("actors") or [])
    if actors:
        console.print(f"  actors: {actors}")
    console.print(f"  {len(c.get('members') or [])} reports from {len(c.get('outlets') or [])} outlets: "
                  f"{', '.join(c.get('outlets') or [])}")

    members = Table(title="Member events", show_lines=False)
    for col in ("event", "outlet", "type", "date", "place", "killed (low/best/high)", "contested"):
        members.add_column(col)
    for ev in c.get("member_events") or []:
        loc = ev.get("location") or {}
        fat = ev.get("fatalities") or {}
        members.add_row(*_cells(
            ev.get("uid") or ev.get("id"), (ev.get("doc") or {}).get("outlet") or "",
            f"{ev.get('event_type')} / {ev.get('sub_event_type')}", (ev.get("date") or {}).get("start") or "",
            loc.get("name") or "", f"{_num(fat.get('low'))}/{_num(fat.get('best'))}/{_num(fat.get('high'))}",
            "yes" if ev.get("contested") else "",
        ))
    if not c.get("member_events"):
        for uid in c.get("members") or []:
            members.add_row(*_cells(uid, "", "", "", "", "", ""))
    console.print(members)

    figures = Table(title="Figures by outlet and source")
    for col in ("outlet", "source", "stance", "kind", "group", "low", "best", "high", "qualifier", "text"):
        figures.add_column(col)
    for claim in c.get("claims") or []:
        src = claim.get("source_name") or claim.get("source")
        figs = claim.get("figures") or []
        if not figs:
            figures.add_row(*_cells(claim.get("outlet"), src, claim.get("stance"), "", "", "", "", "", "",
                                    (claim.get("text") or "")[:60]))
        for f in figs:
            figures.add_row(*_cells(claim.get("outlet"), src, claim.get("stance"), f.get("kind"), f.get("group"),
                                    _num(f.get("low")), _num(f.get("best")), _num(f.get("high")),
                                    f.get("qualifier"), f.get("text")))
    console.print(figures)
    fat = c.get("fatalities") or {}
    console.print(f"[bold]Reconciled fatalities[/bold]: low {_num(fat.get('low'))}, best {_num(fat.get('best'))}, "
                  f"high {_num(fat.get('high'))}   contested: {'[red]yes[/red]' if c.get('contested') else 'no'}")
    for line in c.get("disputes") or []:
        console.print(f"  • {escape(line)}")


def register(app: typer.Typer) -> None:
    cluster_app = typer.Typer(help="Cross-document event clusters (the same event reported by several outlets).",
                              no_args_is_help=True)
    app.add_typer(cluster_app, name="cluster")

    @cluster_app.command("run")
    def cluster_run(
        db: Annotated[Path, typer.Option(help="the DuckDB store")] = Path(DEFAULT_DB),
    ) -> None:
        """(Re)compute every cluster from the stored events and save them in the store."""
        from rasd.cluster import cluster_events

        store = _store(db, read_only=False)
        clusters = cluster_events(store.all_event_docs())
        store.set_clusters(clusters)
        multi = sum(len(c["outlets"]) > 1 for c in clusters)
        err.print(f"{len(clusters)} clusters, {multi} reported by more than one outlet")
        store.close()

    @cluster_app.command("show")
    def cluster_show(
        cluster_id: Annotated[str, typer.Argument(help="cluster id (see `rasd export --format jsonl`)")],
        db: Annotated[Path, typer.Option(help="the DuckDB store")] = Path(DEFAULT_DB),
        as_json: Annotated[bool, typer.Option("--json", help="print the cluster as JSON")] = False,
    ) -> None:
        """One cluster: its member reports, every outlet's and source's figures, the reconciled toll."""
        store = _store(db)
        c = store.cluster(cluster_id)
        store.close()
        if c is None:
            err.print(f"[red]error:[/red] no cluster {cluster_id!r} in {db}")
            raise typer.Exit(1)
        if as_json:
            print(json.dumps(c, ensure_ascii=False, indent=2))
            return
        render_cluster(c, Console())

    @app.command("export")
    def export_cmd(
        fmt: Annotated[str, typer.Option("--format", "-f", help=" | ".join(FORMATS))] = "acled-csv",
        db: Annotated[Path, typer.Option(help="the DuckDB store")] = Path(DEFAULT_DB),
        out: Annotated[str, typer.Option("-o", "--out", help="output file, - for stdout")] = "-",
        country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. YE")] = None,
        date_from: Annotated[str | None, typer.Option(help="first day (ISO date)")] = None,
        date_to: Annotated[str | None, typer.Option(help="last day (ISO date)")] = None,
        event_type: Annotated[str | None, typer.Option(help="ACLED event type or sub-event type")] = None,
    ) -> None:
        """Write the store's clusters (one row per real-world event) as ACLED/UCDP CSV, GeoJSON, Parquet or JSONL."""
        if fmt not in FORMATS:
            err.print(f"[red]error:[/red] unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
            raise typer.Exit(2)
        if fmt == "parquet" and out == "-":
            err.print("[red]error:[/red] parquet is binary: give a file with -o")
            raise typer.Exit(2)
        filters = {"country": country, "date_from": date_from, "date_to": date_to, "event_type": event_type}
        store = _store(db)
        clusters = load_clusters(store, **filters)
        events = store.events(limit=ALL, **filters) if fmt == "ucdp-csv" else None
        store.close()
        n = write_export(fmt, clusters, events, sys.stdout if out == "-" else Path(out))
        err.print(f"{n} records written ({fmt}{'' if out == '-' else ' → ' + out})")
