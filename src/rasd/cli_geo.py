"""`rasd places`: the place expressions rasd reads in a text and where it puts them, for checking.

Registered by `rasd.cli` (see `register`). Offsets are original-text offsets, as in rasd.document/1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rasd.document import Document
from rasd.places import PlaceMention, find_places


def place_rows(text: str, country: str | None = None) -> list[dict]:
    """The places found in `text`, as plain dicts with original-text spans (what `rasd places` prints).

    The country hint is read from the text as the pipeline does, unless `country` (ISO2) is given."""
    from rasd.actors import country_of_text

    doc = Document(text)
    hint = country or country_of_text(doc.norm)
    rows = []
    for m in find_places(doc.norm, country_hint=hint):
        rows.append(_row(doc, m))
    return rows


def _row(doc: Document, m: PlaceMention) -> dict:
    start, end = doc.span(m.start, m.end)
    n_start, n_end = doc.span(m.name_start, m.name_end)
    return {
        "text": doc.text[start:end], "span": [start, end], "toponym": doc.text[n_start:n_end],
        "name": m.name, "name_ar": m.name_ar, "gazetteer_id": m.gazetteer_id, "placetype": m.placetype,
        "country": m.country, "admin1": m.admin1, "admin2": m.admin2, "lat": m.lat, "lon": m.lon,
        "geo_precision": m.geo_precision, "where_prec": m.where_prec, "cue": m.cue,
    }


def register(app: typer.Typer) -> None:
    @app.command("places")
    def places_cmd(
        text: Annotated[str | None, typer.Argument(help="Arabic text (or use --file)")] = None,
        file: Annotated[Path | None, typer.Option("--file", "-f", help="read the text from this file (- for stdin)")] = None,
        published: Annotated[str | None, typer.Option(help="ISO date of the text (recorded in --json output)")] = None,
        country: Annotated[str | None, typer.Option(help="ISO2 country the text is about (default: read from the text)")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
    ) -> None:
        """Print the places found in a text: expression, toponym, resolved place, admin1, coordinates,
        ACLED geo_precision / UCDP where_prec and gazetteer id."""
        if file is not None:
            if str(file) == "-":
                body = sys.stdin.read()
            elif not file.exists():
                Console(stderr=True).print(f"[red]error:[/red] no such file: {file}")
                raise typer.Exit(2)
            else:
                body = file.read_text(encoding="utf-8")
        elif text is not None:
            body = text
        else:
            Console(stderr=True).print("[red]error:[/red] give a TEXT argument or --file")
            raise typer.Exit(2)
        rows = place_rows(body, country.upper() if country else None)
        if as_json:
            typer.echo(json.dumps({"published": published, "places": rows}, ensure_ascii=False, indent=1))
            return
        if not rows:
            typer.echo("no places found")
            return
        table = Table(title=f"{len(rows)} place mention(s)")
        for col in ("expression", "toponym", "place", "country/admin1", "lat, lon", "ACLED", "UCDP", "gazetteer id"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["text"], r["toponym"], f"{r['name']} ({r['name_ar']}) [{r['placetype']}]",
                f"{r['country']}/{r['admin1'] or '-'}", f"{r['lat']:.4f}, {r['lon']:.4f}",
                str(r["geo_precision"]), str(r["where_prec"]), r["gazetteer_id"],
            )
        Console(width=200).print(table)
