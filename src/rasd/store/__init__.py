"""The DuckDB corpus store shared by `rasd batch/query/stats` and the web app (see docs/store.md)."""

from rasd.store.store import Store, content_hash

__all__ = ["Store", "content_hash"]
