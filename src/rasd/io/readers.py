"""Reading input files into document records.

A record is a dict with `text` and optional `id`, `published`, `outlet`, `title`, `url`. Formats:

- `.txt`, `.html`: one record each (id = file stem); bytes are UTF-8 or cp1256 (see `decode_bytes`);
- `.jsonl`, `.ndjson`, `.jsonl.gz`: one record per line;
- `.rss`, `.atom`, `.xml` feeds (feedparser): one record per entry, outlet = the feed's title;
- `.warc`, `.warc.gz` (warcio): one record per HTML response, text/title/date via trafilatura;
- `.parquet` (pyarrow): one record per row (columns as in JSONL, common aliases accepted);
- a directory: every supported file under it, recursively, in sorted order;
- `-`: standard input (JSONL when every line is a JSON object, else one text document).

A record that cannot be used (malformed line, unreadable file, non-Arabic text) does not stop the
run: it is yielded with an `error` (and, for documents skipped on purpose, a `skipped` reason code),
so a corpus run can record why.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

from rasd.text.input import decode_bytes, html_to_text, looks_like_html

RECORD_FIELDS = ("id", "published", "outlet", "title", "url")
# other names the same fields go by in scraped datasets
ALIASES = {
    "id": ("doc_id", "article_id", "guid", "uuid"),
    "text": ("content", "body", "article", "maintext"),
    "published": ("date", "published_at", "pub_date", "date_publish", "datetime"),
    "outlet": ("source", "site", "source_domain", "publisher"),
    "title": ("headline",),
    "url": ("link", "source_url"),
}
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
TEXT_SUFFIXES = (".txt", ".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + (".parquet",)

# Runs of Arabic script (presentation forms included: some sites still publish U+FExx glyph forms)
# and of Latin/Cyrillic letters; matching runs, not single letters, keeps the check cheap on the driver.
_ARABIC_RUN = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF"
                         r"\uFB50-\uFDFF\uFE70-\uFEFF]+")
_OTHER_RUN = re.compile(r"[A-Za-z\u00C0-\u024F\u0400-\u04FF]+")
MIN_LETTERS_FOR_RATIO = 40
MIN_ARABIC_SHARE = 0.5      # below this share of Arabic letters ...
ENOUGH_ARABIC_LETTERS = 200  # ... a document is still Arabic when it has this many (an article + page code)
MIN_ARABIC_SHARE_ANY = 0.2   # and never below this share (a long English page quoting Arabic)


def language_problem(text: str | None) -> str | None:
    """Why a text is not an Arabic document, or None when it is (or is too short to judge here).

    The core refuses texts with almost no Arabic letters; this also catches English or French pages
    that quote some Arabic, which would otherwise be read as (poor) Arabic reports, while keeping
    Arabic articles that carry scraped page code or an English caption (measured on SaudiNewsNet).
    """
    if not text:
        return None
    sample = text[:4000]  # enough to tell the language
    arabic = sum(map(len, _ARABIC_RUN.findall(sample)))
    letters = arabic + sum(map(len, _OTHER_RUN.findall(sample)))
    if letters < MIN_LETTERS_FOR_RATIO:
        return None
    share = arabic / letters
    if share < MIN_ARABIC_SHARE_ANY or (share < MIN_ARABIC_SHARE and arabic < ENOUGH_ARABIC_LETTERS):
        return f"not Arabic: only {share:.0%} of the letters are Arabic"
    return None


def check_language(rec: dict) -> dict:
    """Mark a non-Arabic record as skipped (with the reason) so it is recorded, not extracted."""
    if rec.get("error") or not isinstance(rec.get("text"), str):
        return rec
    problem = language_problem(rec["text"])
    if problem:
        rec["error"] = f"skipped: {problem}"
        rec["skipped"] = "not_arabic"
    return rec


def _iso_date(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _record_from_json(obj: dict, fallback_id: str) -> dict:
    rec = {}
    for key in RECORD_FIELDS + ("text",):
        value = obj.get(key)
        for alias in ALIASES.get(key, ()):
            if value is not None and value != "":
                break
            value = obj.get(alias)
        rec[key] = value
    rec["id"] = str(rec["id"]) if rec["id"] not in (None, "") else fallback_id
    rec["published"] = _iso_date(rec["published"])
    if not isinstance(rec["text"], str):
        rec["error"] = "record has no 'text' string"
    return rec


def read_jsonl_lines(lines: Iterable, origin: str) -> Iterator[dict]:
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


# -- feeds ------------------------------------------------------------------------------------

def _struct_date(t) -> str | None:
    return time.strftime("%Y-%m-%d", t) if t else None


def read_feed(data: bytes, origin: str) -> Iterator[dict]:
    """RSS 2.0 / Atom entries; the full content when the feed carries it, else the summary."""
    import feedparser

    parsed = feedparser.parse(data)
    outlet = parsed.feed.get("title") or None
    if not parsed.entries and parsed.get("bozo"):
        yield {"id": origin, "text": None, "error": f"unreadable feed: {parsed.get('bozo_exception')}"}
        return
    for n, entry in enumerate(parsed.entries, 1):
        body = ""
        if entry.get("content"):
            body = max((c.get("value") or "" for c in entry.content), key=len)
        body = body or entry.get("summary") or ""
        if "<" in body:
            body = html_to_text(body)
        rec = {
            "id": entry.get("id") or entry.get("link") or f"{origin}:{n}",
            "published": _struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            "outlet": outlet,
            "title": entry.get("title") or None,
            "url": entry.get("link") or None,
            "text": body,
        }
        if not body.strip():
            rec["error"] = "feed entry has no text"
        yield rec


# -- web archives -----------------------------------------------------------------------------

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


def _decode_page(payload: bytes, content_type: str) -> str:
    m = _CHARSET.search(content_type or "")
    if m:
        try:
            return payload.decode(m.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(payload)[0]


def page_to_record(page: str, url: str | None, fallback_date: str | None, rec_id: str) -> dict:
    """Main text, title and date of an HTML page (trafilatura), falling back to all visible text."""
    text = title = published = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False)
        if doc is not None:
            data = doc if isinstance(doc, dict) else doc.as_dict()
            text, title, published = data.get("text"), data.get("title"), data.get("date")
    except Exception:  # noqa: BLE001 - a page trafilatura cannot parse still has visible text
        text = None
    if not text or not text.strip():
        text = html_to_text(page)
    host = urlparse(url).hostname if url else None
    return {"id": rec_id, "published": published or fallback_date, "outlet": host, "title": title,
            "url": url, "text": text}


def read_warc(fh, origin: str) -> Iterator[dict]:
    """HTML responses of a WARC file; other records (requests, metadata, images) are passed over."""
    from warcio.archiveiterator import ArchiveIterator

    for n, record in enumerate(ArchiveIterator(fh), 1):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        ctype = record.http_headers.get_header("Content-Type") or ""
        if "html" not in ctype.lower():
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        warc_date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
        rec_id = url or record.rec_headers.get_header("WARC-Record-ID") or f"{origin}:{n}"
        try:
            page = _decode_page(record.content_stream().read(), ctype)
        except Exception as exc:  # noqa: BLE001 - one broken record must not stop the archive
            yield {"id": rec_id, "url": url, "text": None, "error": f"unreadable WARC record: {exc}"}
            continue
        yield page_to_record(page, url, warc_date, rec_id)


# -- parquet ----------------------------------------------------------------------------------

def read_parquet(path: Path) -> Iterator[dict]:
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
        for row in batch.to_pylist():
            n += 1
            yield _record_from_json(row, f"{path.name}:{n}")


# -- dispatch ---------------------------------------------------------------------------------

def is_supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED_SUFFIXES)


def _read_file(p: Path) -> Iterator[dict]:
    name = p.name.lower()
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        with gzip.open(p, "rb") as fh:
            yield from read_jsonl_lines(fh, p.name)
    elif name.endswith((".jsonl", ".ndjson")):
        with open(p, "rb") as fh:
            yield from read_jsonl_lines(fh, p.name)
    elif name.endswith(WARC_SUFFIXES):
        with open(p, "rb") as fh:
            yield from read_warc(fh, p.name)
    elif name.endswith(".parquet"):
        yield from read_parquet(p)
    elif name.endswith(FEED_SUFFIXES):
        yield from read_feed(p.read_bytes(), p.name)
    else:
        data = p.read_bytes()
        head = data[:2000].lstrip().lower()
        if head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head):
            yield from read_feed(data, p.name)
            return
        text, notes = decode_bytes(data)
        if name.endswith((".html", ".htm")) or looks_like_html(text):
            text = html_to_text(text)
        yield {"id": p.stem, "text": text, "notes": notes}


def _read_file_safely(p: Path) -> Iterator[dict]:
    """A truncated or corrupt file ends its own records with an error record, never the run."""
    try:
        yield from _read_file(p)
    except (OSError, EOFError, ValueError, UnicodeError) as exc:
        yield {"id": p.name, "text": None, "error": f"cannot read {p.name}: {exc}"}
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise their own error types
        yield {"id": p.name, "text": None, "error": f"cannot read {p.name}: {type(exc).__name__}: {exc}"}


def read_path(path: str, check_lang: bool = True) -> Iterator[dict]:
    """Records from a file, a directory (recursively) or `-`; non-Arabic records come back skipped."""
    for rec in _read_path(path):
        yield check_language(rec) if check_lang else rec


def _read_path(path: str) -> Iterator[dict]:
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
        for child in sorted(c for c in p.rglob("*") if c.is_file() and is_supported(c)):
            yield from _read_file_safely(child)
        return
    yield from _read_file_safely(p)


def count_records(paths: Iterable[str]) -> int | None:
    """How many records the inputs hold (for a progress bar), or None when that is costly to know."""
    total = 0
    for path in paths:
        p = Path(path)
        files = sorted(c for c in p.rglob("*") if c.is_file() and is_supported(c)) if p.is_dir() else [p]
        for f in files:
            name = f.name.lower()
            if name.endswith((".jsonl.gz", ".ndjson.gz")):
                opener = gzip.open
            elif name.endswith((".jsonl", ".ndjson")):
                opener = open
            elif name.endswith(TEXT_SUFFIXES):
                total += 1
                continue
            else:
                return None
            try:
                with opener(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except (OSError, EOFError):
                return None
    return total
