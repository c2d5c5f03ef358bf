"""The `rasd` command line: a thin shell over `rasd.extract` and the evaluation module."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rasd.io.readers import read_path
from rasd.pipeline import ExtractionError, extract

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, help="rasd (رصد): Arabic conflict reports → source-attributed event data.")
err = Console(stderr=True)


def extract_record(rec: dict, published: str | None = None, outlet: str | None = None) -> dict:
    """Run the extractor on one record; a failure becomes an error object, never an exception."""
    if rec.get("error"):
        return {"schema": "rasd.document/1", "doc": {"id": rec.get("id"), "chars": 0}, "error": rec["error"]}
    try:
        result = extract(
            rec["text"], published=rec.get("published") or published, outlet=rec.get("outlet") or outlet,
            doc_id=rec.get("id"), title=rec.get("title"), url=rec.get("url"),
        )
    except ExtractionError as exc:
        return {"schema": "rasd.document/1", "doc": {"id": rec.get("id"), "chars": len(rec.get("text") or "")},
                "error": str(exc)}
    except Exception as exc:  # a bug must cost one document, never the batch
        return {"schema": "rasd.document/1", "doc": {"id": rec.get("id"), "chars": len(rec.get("text") or "")},
                "error": f"internal error ({type(exc).__name__}): {exc}"}
    out = result.model_dump(mode="json", by_alias=True)
    out["warnings"].extend(rec.get("notes") or [])
    return out


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[str], typer.Argument(help=".txt, .html or .jsonl files, directories, or - for stdin")],
    published: Annotated[str | None, typer.Option(help="ISO date the relative dates are anchored to")] = None,
    outlet: Annotated[str | None, typer.Option(help="outlet name, when records do not carry one")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write JSONL here (default stdout)")] = None,
    pretty: Annotated[bool, typer.Option(help="indent the JSON (one object per document)")] = False,
) -> None:
    """Extract events from documents; writes one rasd.document/1 JSON object per line."""
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout
    failures = 0
    try:
        for path in paths:
            if path != "-" and not Path(path).exists():
                err.print(f"[red]error:[/red] no such file: {path}")
                raise typer.Exit(2)
            for rec in read_path(path):
                out = extract_record(rec, published, outlet)
                if "error" in out:
                    failures += 1
                    err.print(f"[yellow]skipped {out['doc'].get('id')}:[/yellow] {out['error']}")
                sink.write(json.dumps(out, ensure_ascii=False, indent=2 if pretty else None) + "\n")
    finally:
        if output:
            sink.close()
    if failures:
        err.print(f"{failures} document(s) could not be read (see their 'error' field)")


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="gold JSONL (SPEC section 5)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="list, per document, what was missed and what was wrong")] = False,
) -> None:
    """Score the extractor against gold annotations (SPEC section 5)."""
    from rasd import eval as rasd_eval

    def run_one(g: dict) -> dict:
        return extract(g["text"], published=g.get("published"), outlet=g.get("outlet"), doc_id=g.get("doc_id")).model_dump(
            mode="json", by_alias=True
        )

    raise typer.Exit(rasd_eval.main(str(gold), as_json, errors, run_one))


@app.command("summary")
def summary_cmd(
    path: Annotated[Path, typer.Argument(help="a JSONL file written by `rasd extract`")],
    articles: Annotated[int, typer.Option(help="how many articles to show event by event")] = 3,
) -> None:
    """Print a readable summary of extracted documents."""
    from rasd.summary import print_summary

    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print_summary(docs, articles=articles)


def _register_optional_commands() -> None:
    """Command groups that live in their own modules (corpus scale, web, geography)."""
    import importlib

    for name in ("rasd.cli_corpus", "rasd.cli_export", "rasd.cli_web", "rasd.cli_geo", "rasd.cli_claims"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(app)


_register_optional_commands()


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
