"""rasd's HTTP API and the analyst's web page (FastAPI); `rasd serve` starts it."""

from rasd.web.app import create_app

__all__ = ["create_app"]
