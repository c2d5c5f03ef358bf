"""Engines run `rasd.cli.extract_record` over chunks of records and hand results back in input order.

Both engines yield `(records, results)` pairs chunk by chunk, in the order the chunks were read, so
the store's content does not depend on the engine or on the number of workers:

- `local`: a process pool on this machine (`rasd.engines.local.run_local`);
- `dask`: a Dask cluster, local or remote, writing Parquet partitions (`rasd.engines.dask_engine`).
"""

from rasd.engines.local import batched, process_records, run_local

__all__ = ["batched", "process_records", "run_local"]
