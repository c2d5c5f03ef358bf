"""Fill an in-memory corpus store from article files, for `rasd serve --load`.

Why: an analyst (and `make run`) can explore a few hundred articles on the map without running
`rasd batch` into a DuckDB file first. It is the same `rasd.store.Store` (DuckDB `:memory:`) and the
same clustering as the corpus commands, so the page sees exactly what it would see from a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def _documents(path: Path, published: str | None = None) -> Iterable[tuple[dict, str | None]]:
    """rasd.document/1 JSONL is taken as is; anything else is read and extracted like `rasd extract`."""
    from rasd.cli import extract_record
    from rasd.io.readers import read_path

    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            first = fh.readline()
        try:
            is_output = json.loads(first).get("schema") == "rasd.document/1"
        except (ValueError, AttributeError):
            is_output = False
        if is_output:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        doc = json.loads(line)
                        yield doc, doc.pop("text", None)
            return
    for rec in read_path(str(path)):
        yield extract_record(rec, published), rec.get("text")


def load_store(paths: Iterable[str | Path], progress: Callable[[int], None] | None = None,
               published: str | None = None) -> Any:
    """A `rasd.store.Store` in memory holding the given documents, with cross-document clusters.

    `published` anchors the dates of records that carry no date (as `rasd extract --published`).
    """
    from rasd.cluster import cluster_events
    from rasd.store import Store

    store = Store(":memory:")
    docs: list[dict] = []
    texts: dict[str, str] = {}
    for path in paths:
        for n, (doc, text) in enumerate(_documents(Path(path), published), start=len(docs) + 1):
            info = doc.setdefault("doc", {})
            if not info.get("id"):
                info["id"] = f"{Path(path).stem}-{n}"
            if text is not None:
                texts[info["id"]] = text
            docs.append(doc)
            if progress:
                progress(len(docs))
    store.add_documents(docs, texts)
    store.set_clusters(cluster_events(store.all_event_docs()))
    return store
