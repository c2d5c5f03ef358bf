"""A readable console summary of extracted documents (used by `rasd summary` and `make run`)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table


def _place(ev: dict) -> str:
    loc = ev.get("location") or {}
    if not loc:
        return "—"
    return f"{loc.get('name')} ({loc.get('country') or '?'}, prec {loc.get('geo_precision')})"


def _actors(ev: dict) -> str:
    return "; ".join(f"{a['role']}: {a['name']}" for a in ev.get("actors", [])) or "—"


def _claims(doc: dict, ev: dict) -> str:
    names = {s["id"]: s["name_ar"] or s["name"] for s in doc.get("sources", [])}
    parts = []
    for c in ev.get("claims", []):
        figs = ", ".join(f"{f['kind']} {f['best']} {f['group']}" for f in c["figures"]) or "the event"
        verb = "DENIES" if c["stance"] == "denies" else "says"
        parts.append(f"{names.get(c['source'], c['source'])} {verb} {figs}")
    return "\n".join(parts) or "—"


def print_summary(docs: list[dict], articles: int = 3, console: Console | None = None) -> None:
    console = console or Console()
    ok = [d for d in docs if "error" not in d]
    events = [e for d in ok for e in d.get("events", [])]
    types = Counter(e["event_type"] for e in events)
    console.rule(f"[bold]rasd: {len(docs)} documents, {len(events)} events, {len(docs) - len(ok)} unreadable")
    overview = Table(title="Events by type")
    overview.add_column("event type")
    overview.add_column("events", justify="right")
    overview.add_column("fatalities (best)", justify="right")
    overview.add_column("contested", justify="right")
    for et, n in types.most_common():
        evs = [e for e in events if e["event_type"] == et]
        overview.add_row(et, str(n), str(sum(e["fatalities"]["best"] or 0 for e in evs)), str(sum(e["contested"] for e in evs)))
    console.print(overview)
    for d in [d for d in ok if d.get("events")][:articles]:
        table = Table(title=f"{d['doc'].get('id')} ({d['doc'].get('published') or 'no date'})", show_lines=True)
        for col in ("event", "date", "place", "actors", "claims by source", "fatalities"):
            table.add_column(col)
        for e in d["events"]:
            f = e["fatalities"]
            table.add_row(
                f"{e['id']} {e['event_type']}\n{e['sub_event_type']}" + (" [red]contested[/red]" if e["contested"] else ""),
                (e.get("date") or {}).get("start") or "—",
                _place(e),
                _actors(e),
                _claims(d, e),
                f"{f['low']}/{f['best']}/{f['high']}",
            )
        console.print(table)
        for w in d.get("warnings", []):
            console.print(f"[yellow]warning:[/yellow] {w}")
