"""The Dask engine: partitions of records extracted on a Dask cluster, results written as Parquet.

Each task extracts one partition and writes `part-NNNNNN.parquet` (columns `doc_id`, `content_hash`,
`text`, `result` = the rasd.document/1 JSON) into a folder every worker can reach; the driver loads
the partitions into the store in partition order, so the store is the same as the local engine's.
With no scheduler address a `LocalCluster(n_workers=jobs, processes=True)` is started and closed.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from rasd.engines.local import process_records
from rasd.store.store import content_hash

PART_COLUMNS = ("doc_id", "content_hash", "text", "result")


def extract_partition(index: int, records: list[dict], parts_dir: str) -> dict:
    """Runs on a worker: extract, write the partition's Parquet file, return its counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    results = process_records(records)
    texts = [rec.get("text") or "" for rec in records]
    table = pa.table({
        "doc_id": [str(r["doc"].get("id")) for r in results],
        "content_hash": [content_hash(t) for t in texts],
        "text": texts,
        "result": [json.dumps(r, ensure_ascii=False) for r in results],
    })
    path = Path(parts_dir) / f"part-{index:06d}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)  # a half-written partition is never mistaken for a finished one
    return {"path": str(path), "documents": len(results),
            "events": sum(len(r.get("events") or []) for r in results),
            "errors": sum(1 for r in results if r.get("error"))}


def read_partition(path: str | Path) -> tuple[list[dict], list[dict]]:
    """(records, results) of one partition file: records carry id and text, as the store needs."""
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    return ([{"id": r["doc_id"], "text": r["text"]} for r in rows], [json.loads(r["result"]) for r in rows])


def run_dask(chunks: Iterable[list[dict]], jobs: int, parts_dir: str | Path,
             scheduler: str | None = None) -> Iterator[tuple[list[dict], list[dict]]]:
    """Yield (records, results) per partition in input order, as `run_local` does."""
    from dask.distributed import Client, LocalCluster

    parts = Path(parts_dir)
    parts.mkdir(parents=True, exist_ok=True)
    for old in parts.glob("part-*.parquet"):
        old.unlink()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        it = enumerate(chunks)
        pending: deque = deque()

        def submit(n: int) -> None:
            for index, chunk in islice(it, n):
                fut = client.submit(extract_partition, index, chunk, str(parts), pure=False)
                pending.append((chunk, fut))

        submit(workers * 3)
        while pending:
            _chunk, fut = pending.popleft()
            info = fut.result()
            submit(1)
            yield read_partition(info["path"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
