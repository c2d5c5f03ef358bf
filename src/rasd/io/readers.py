"""Reading input files into document records.

A record is a dict with `text` and optional `id`, `published`, `outlet`, `title`, `url`. `.txt` and
`.html` files give one record each (id = file stem); `.jsonl` (and `.jsonl.gz`) give one per line;
`-` reads standard input (JSONL when every line is a JSON object, else one text document). A
malformed JSONL line does not stop the run: it is yielded as a record with an `error`.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from rasd.text.input import decode_bytes, html_to_text, looks_like_html

RECORD_FIELDS = ("id", "published", "outlet", "title", "url")


def _record_from_json(obj: dict, fallback_id: str) -> dict:
    rec = {k: obj.get(k) for k in RECORD_FIELDS}
    rec["id"] = rec["id"] or obj.get("doc_id") or fallback_id
    rec["text"] = obj.get("text")
    if not isinstance(rec["text"], str):
        rec["error"] = "record has no 'text' string"
    return rec


def read_jsonl_lines(lines, origin: str) -> Iterator[dict]:
    for n, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            line = decode_bytes(line)[0]
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": f"{origin}:{n}", "text": None, "error": f"malformed JSON on line {n}: {exc.msg}"}
            continue
        if not isinstance(obj, dict):
            yield {"id": f"{origin}:{n}", "text": None, "error": f"line {n} is not a JSON object"}
            continue
        yield _record_from_json(obj, f"{origin}:{n}")


def read_path(path: str) -> Iterator[dict]:
    if path == "-":
        data = sys.stdin.buffer.read()
        text = decode_bytes(data)[0]
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and all(line.lstrip().startswith("{") for line in lines):
            yield from read_jsonl_lines(lines, "stdin")
        else:
            yield {"id": "stdin", "text": text}
        return
    p = Path(path)
    if p.is_dir():
        for child in sorted(p.iterdir()):
            if child.suffix.lower() in (".txt", ".html", ".htm", ".jsonl") or child.name.endswith(".jsonl.gz"):
                yield from read_path(str(child))
        return
    name = p.name.lower()
    if name.endswith(".jsonl.gz"):
        with gzip.open(p, "rb") as fh:
            yield from read_jsonl_lines(fh, p.name)
    elif name.endswith(".jsonl") or name.endswith(".ndjson"):
        with open(p, "rb") as fh:
            yield from read_jsonl_lines(fh, p.name)
    else:
        text, notes = decode_bytes(p.read_bytes())
        if name.endswith((".html", ".htm")) or looks_like_html(text):
            text = html_to_text(text)
        yield {"id": p.stem, "text": text, "notes": notes}
