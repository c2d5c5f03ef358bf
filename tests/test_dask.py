"""The Dask engine on a 2-worker LocalCluster writes Parquet partitions and gives the local engine's store."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from test_batch import dump, write_corpus

from rasd.cli_corpus import run_batch

pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed")


def test_dask_local_cluster_equals_local_engine(tmp_path):
    src = tmp_path / "corpus.jsonl"
    write_corpus(src)
    parts = tmp_path / "parts"
    local = run_batch([str(src)], tmp_path / "local.duckdb", jobs=1, chunk_size=3, progress=False)
    dask = run_batch([str(src)], tmp_path / "dask.duckdb", jobs=2, chunk_size=3, engine="dask", parts_dir=parts,
                     progress=False)
    assert dump(tmp_path / "dask.duckdb") == dump(tmp_path / "local.duckdb")
    assert (dask["events"], dask["errors"], dask["skipped"]) == (local["events"], local["errors"], local["skipped"])
    files = sorted(parts.glob("part-*.parquet"))
    assert [f.name for f in files] == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    assert sum(pq.read_metadata(f).num_rows for f in files) == 8
    assert pq.read_schema(files[0]).names == ["doc_id", "content_hash", "text", "result"]
