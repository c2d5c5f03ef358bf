"""End to end: the example article's full expectations, the offsets property and the JSON Schema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest

import rasd
from rasd.pipeline import ExtractionError

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schema" / "rasd.document.v1.json").read_text())


def spans_of(doc: dict):
    """Every (text, span) item of a rasd.document/1 dict."""
    for s in doc["sources"]:
        yield from ((m["text"], m["span"]) for m in s["mentions"])
    for e in doc["events"]:
        for m in e["evidence"]:
            yield m["text"], m["span"]
        for key in ("date", "location", "trigger"):
            if e.get(key) and e[key].get("span"):
                yield e[key]["text"], e[key]["span"]
        for a in e["actors"]:
            yield a["text"], a["span"]
        for c in e["claims"]:
            yield c["text"], c["span"]
            for f in c["figures"]:
                yield f["text"], f["span"]


def km(lat1, lon1, lat2, lon2):
    p = math.pi / 180
    a = 0.5 - math.cos((lat2 - lat1) * p) / 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * (1 - math.cos((lon2 - lon1) * p)) / 2
    return 12742 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def example(example_text):
    return rasd.extract(example_text, published="2020-01-16").model_dump(mode="json", by_alias=True)


def test_output_validates_against_the_committed_json_schema(example):
    jsonschema.validate(example, SCHEMA)
    assert example["schema"] == "rasd.document/1"


def test_committed_schema_is_generated_from_the_models():
    from rasd.schema import json_schema

    assert json_schema() == SCHEMA, "run `make schema` after changing src/rasd/schema.py"


def test_every_span_points_at_its_text(example, example_text):
    items = list(spans_of(example))
    assert len(items) > 50
    for text, (a, b) in items:
        assert example_text[a:b] == text


def test_offsets_hold_on_every_dev_article(dev_articles):
    for rec in list(dev_articles.values())[:120]:
        out = rasd.extract(rec["text"], published=rec["published"]).model_dump(mode="json", by_alias=True)
        for text, (a, b) in spans_of(out):
            assert rec["text"][a:b] == text, rec["id"]


def test_example_main_attack_is_contested_by_the_observatory(example):
    main = example["events"][0]
    assert (main["event_type"], main["sub_event_type"]) == ("Battles", "Armed clash")
    assert main["date"]["start"] == "2020-01-15" and main["date"]["end"] == "2020-01-16"
    assert main["fatalities"] == {"low": 0, "best": 90, "high": 90}
    assert main["contested"]
    names = {s["id"]: s for s in example["sources"]}
    deniers = [names[c["source"]]["name_ar"] for c in main["claims"] if c["stance"] == "denies"]
    assert deniers == ["المرصد السوري لحقوق الإنسان"]


def test_example_figures_belong_to_russia(example):
    names = {s["id"]: s for s in example["sources"]}
    russian = [f for c in example["events"][0]["claims"] for f in c["figures"]
               if "روسيا" in [m["text"] for m in names[c["source"]]["mentions"]]]
    got = {(f["kind"], f["best"], f["group"]) for f in russian}
    assert {("killed", 40, "soldiers"), ("injured", 80, "soldiers"), ("killed", 50, "militants"),
            ("injured", 90, "militants"), ("combatants", 200, "militants")} <= got


def test_example_jabal_al_zawiya_is_placed_and_dated(example, example_gold):
    gold = next(e for e in example_gold["events"] if e["location"]["name"] == "Jabal al-Zawiya")
    ev = next(e for e in example["events"] if e["location"] and e["location"]["name_ar"] == "جبل الزاوية")
    assert km(ev["location"]["lat"], ev["location"]["lon"], gold["location"]["lat"], gold["location"]["lon"]) < 15
    assert ev["location"]["geo_precision"] == 2
    assert ev["date"]["start"] == "2020-01-15"
    assert ev["civilian_targeting"]
    assert ev["fatalities"]["best"] == 3


def test_example_displacement_is_kept_as_a_claim(example):
    figures = [f for e in example["events"] for c in e["claims"] for f in c["figures"] if f["kind"] == "displaced"]
    assert {f["best"] for f in figures} >= {80000, 1000, 100000}


def test_example_scores_meet_the_bar(example_gold):
    from rasd.eval import score

    system = rasd.extract(example_gold["text"], published=example_gold["published"], doc_id=example_gold["doc_id"])
    scores = score([example_gold], [system.model_dump(mode="json", by_alias=True)])
    assert scores["events"]["f1"] >= 0.9
    assert scores["figures"]["f1"] >= 0.9
    assert scores["denials"]["f1"] == 1.0
    assert scores["date"]["accuracy"] == 1.0


@pytest.mark.parametrize("bad, reason", [("", "empty"), ("   ", "empty"), ("Only English text here, nothing Arabic.", "not Arabic")])
def test_bad_input_gets_a_clear_error(bad, reason):
    with pytest.raises(ExtractionError, match=reason):
        rasd.extract(bad)


def test_bad_published_date_is_refused():
    with pytest.raises(ExtractionError, match="ISO date"):
        rasd.extract("قتل ثلاثة مدنيين في قصف على بلدة في ريف إدلب اليوم", published="16/01/2020")


def test_cp1256_bytes_and_html_are_read():
    text = "قتل ثلاثة مدنيين في قصف جوي على مدينة سراقب في ريف إدلب اليوم الأحد"
    out = rasd.extract(text.encode("cp1256"), published="2021-03-14")
    assert out.events and out.events[0].location.name_ar == "سراقب"
    page = f"<html><body><nav>menu</nav><p>{text}</p></body></html>"
    assert rasd.extract(page, published="2021-03-14").events
