"""rasd (رصد): Arabic conflict reports in, source-attributed ACLED/UCDP event data out."""

__version__ = "0.1.0"


def extract(text, published=None, outlet=None, doc_id=None, title=None, url=None):
    """Run the whole pipeline on one document and return the `rasd.document/1` pydantic model."""
    from rasd.pipeline import extract as _extract

    return _extract(text, published=published, outlet=outlet, doc_id=doc_id, title=title, url=url)


__all__ = ["extract", "__version__"]
