"""Real dev articles (read from ../shared): the lead event of a dozen articles, and the dev-set bars."""

from __future__ import annotations

import pytest

import rasd
from rasd.eval import score

LEAD_EVENT_DOCS = [
    "newscred:shorouknews:58f3b9e3-3777-487a-a055-abcb260e7b74",  # rockets on Camp Liberty, Baghdad
    "saudinewsnet:2015-08-01:1157",  # AQAP attack on an army post, Hadramawt
    "newscred:bbcarabicnews:45e7ccf2-8244-4660-b411-79c6e4e76c57",  # missiles on an Aleppo district
    "newscred:cnnarabic:0bcddadd-1772-4d9b-9914-2b2f207bc9d0",  # alleged chemical attack, Aleppo countryside
    "newscred:bbcarabicnews:23de0d09-99c0-4cee-9787-d0cd3015ba1e",  # clashes in Aden
    "saudinewsnet:2015-07-23:298",  # clashes and strikes in Zabadani
    "newscred:bbcarabicnews:743996eb-686e-45a6-80f3-8e0f752d3412",  # Boko Haram / Ansaru
    "newscred:bbcarabicnews:ea7c8e5c-4049-4e5a-9ca4-38078034ec7b",  # car bombs in Baghdad
    "saudinewsnet:2015-07-22:678",  # Aden fighting
    "newscred:bbcarabicnews:5e08747b-1994-4940-9141-498b2da68b50",  # Raqqa
    "saudinewsnet:2015-08-07:1164",  # coalition strikes, Yemen
    "saudinewsnet:2015-08-10:559",  # Ibb / Aden front
]


@pytest.fixture(scope="module")
def gold_by_id(dev_gold):
    return {g["doc_id"]: g for g in dev_gold}


def _run(g: dict) -> dict:
    return rasd.extract(g["text"], published=g["published"], outlet=g["outlet"], doc_id=g["doc_id"]).model_dump(
        mode="json", by_alias=True
    )


@pytest.mark.parametrize("doc_id", LEAD_EVENT_DOCS)
def test_lead_event_found_typed_placed_and_dated(doc_id, gold_by_id):
    g = gold_by_id[doc_id]
    lead = {**g, "events": g["events"][:1]}
    s = score([lead], [_run(g)])
    assert s["events"]["tp"] == 1, "the article's first gold event is not found with its type"
    assert s["location"]["accuracy"] == 1.0
    assert s["date"]["accuracy"] in (1.0, None)


def test_dev_set_meets_the_core_bars(dev_gold):
    s = score(dev_gold, [_run(g) for g in dev_gold])
    assert s["events"]["f1"] >= 0.70
    assert s["figures"]["f1"] >= 0.70
    assert s["denials"]["f1"] >= 0.60
    assert s["event_type"]["accuracy"] >= 0.80
    assert s["date"]["accuracy"] >= 0.80
    assert s["location"]["accuracy"] >= 0.75
