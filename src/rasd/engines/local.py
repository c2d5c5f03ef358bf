"""The local engine: chunks of records extracted by a pool of worker processes, results in order."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice


def batched(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def process_records(records: list[dict]) -> list[dict]:
    """Extract each record; every failure (even a bug in the extractor) becomes an error object."""
    from rasd.cli import extract_record
    from rasd.pipeline import warm_up

    warm_up()
    out = []
    for rec in records:
        try:
            res = extract_record(rec)
        except Exception as exc:  # noqa: BLE001 - one bad document must never stop a corpus run
            res = {"schema": "rasd.document/1", "doc": {"id": rec.get("id"), "chars": len(rec.get("text") or "")},
                   "error": f"internal error: {type(exc).__name__}: {exc}", "stage": "extract"}
        if rec.get("error"):
            res["stage"] = "language" if rec.get("skipped") else "read"
            if rec.get("skipped"):
                res["skipped"] = rec["skipped"]
        out.append(res)
    return out


def run_local(chunks: Iterable[list[dict]], jobs: int = 1) -> Iterator[tuple[list[dict], list[dict]]]:
    """Yield (chunk, results) in input order; at most 3 chunks per worker are in flight (bounded memory)."""
    if jobs <= 1:
        for chunk in chunks:
            yield chunk, process_records(chunk)
        return
    from rasd.pipeline import warm_up

    it = iter(chunks)
    # each worker loads the lexicons and gazetteer as it starts, not inside its first chunk
    with ProcessPoolExecutor(max_workers=jobs, initializer=warm_up) as pool:
        pending: deque[tuple[list[dict], Future]] = deque(
            (chunk, pool.submit(process_records, chunk)) for chunk in islice(it, jobs * 3))
        while pending:
            chunk, fut = pending.popleft()
            results = fut.result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(process_records, nxt)))
            yield chunk, results
