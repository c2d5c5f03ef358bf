"""The relevance stage: a document with no trigger strong enough for an event and no figure stops
there, and stopping never changes an event (the stages after it could not have made one)."""

from __future__ import annotations

import gzip
import json
from itertools import islice

from conftest import SHARED, need

from rasd import pipeline
from rasd.document import Document
from rasd.pipeline import extract, parse_published, run

CORPUS = SHARED / "data" / "corpus" / "arabic-news-2013.jsonl.gz"


def _run(text: str) -> Document:
    doc = Document(text, published=parse_published("2020-01-16"))
    return run(doc)


def test_a_sports_report_stops_before_the_costly_stages() -> None:
    doc = _run("فاز فريق الأهلي على الزمالك بهدفين مقابل هدف في مباراة الدوري أمس الجمعة في القاهرة.")
    assert doc.relevant is False
    assert doc.dates == [] and doc.places == [] and doc.actors == []  # never computed
    out = extract("فاز فريق الأهلي على الزمالك بهدفين مقابل هدف في مباراة الدوري أمس الجمعة في القاهرة.")
    assert out.events == [] and out.sources == []


def test_a_figure_alone_keeps_the_document() -> None:
    # no event word at all, but a displacement figure makes an event of its own
    doc = _run("نزح نحو ثلاثة آلاف شخص من القرية خلال الأيام الماضية بحسب الأمم المتحدة.")
    assert doc.relevant is True
    assert [(f.kind, f.best) for f in doc.figures] == [("displaced", 3000)]
    assert len(doc.events) == 1


def test_a_strong_trigger_keeps_the_document() -> None:
    doc = _run("قصفت طائرات حربية مدينة إدلب أمس.")
    assert doc.relevant is True
    assert doc.events and doc.events[0].event_type == "Explosions/Remote violence"


def _events_with_and_without_the_stop(records: list[dict], monkeypatch) -> tuple[list, list, int]:
    def events(rec: dict) -> list:
        out = extract(rec["text"], published=rec.get("published"), outlet=rec.get("outlet"), doc_id=rec.get("id"))
        return [e.model_dump(mode="json") for e in out.events]

    stopped = [events(r) for r in records]
    n_stopped = sum(1 for r in records if not run(Document(r["text"], published=parse_published(r.get("published")))).relevant)
    with monkeypatch.context() as m:
        # every document runs every stage: the relevance stage is replaced by one that decides nothing
        m.setattr(pipeline, "STAGES", [(n, (lambda d: None) if n == "relevance" else f) for n, f in pipeline.STAGES])
        full = [events(r) for r in records]
    return stopped, full, n_stopped


def test_no_dev_article_with_a_gold_event_is_stopped(dev_gold) -> None:
    # every report a coder found an event in must reach the event stages
    kept = 0
    for gold in dev_gold:
        if not gold.get("events"):
            continue
        doc = run(Document(gold["text"], published=parse_published(gold.get("published"))))
        assert doc.relevant, gold["doc_id"]
        kept += 1
    assert kept >= 30


def test_stopping_changes_no_event_on_corpus_articles(monkeypatch) -> None:
    with gzip.open(need(CORPUS), "rt", encoding="utf-8") as fh:
        records = [r for r in (json.loads(line) for line in islice(fh, 400)) if (r.get("text") or "").strip()]
    stopped, full, n_stopped = _events_with_and_without_the_stop(records, monkeypatch)
    # general news: many articles have nothing to code (73 of these 400), and none of them had an event
    assert n_stopped >= 40
    assert stopped == full
