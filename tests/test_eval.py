"""The evaluation rules of SPEC section 5, each checked on small hand-built gold/system pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.eval import any_match, errors, format_errors, format_table, load_gold, main, run, score, text_match

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLE = SHARED / "examples" / "idlib-2020.gold.json"
DEV_GOLD = SHARED / "data" / "dev" / "gold.jsonl"

TEXT = (
    "قال المرصد السوري لحقوق الإنسان إن غارة جوية على مدينة إدلب قتلت 12 مدنياً اليوم. "
    "واندلعت اشتباكات عنيفة في حلب أمس. "
    "ونفت وزارة الدفاع الروسية تنفيذ الغارة."
)
S1 = "غارة جوية على مدينة إدلب قتلت 12 مدنياً اليوم"
S2 = "واندلعت اشتباكات عنيفة في حلب أمس"

IDLIB = {"text": ["إدلب"], "name": "Idlib", "country": "SY", "admin1": "Idlib", "lat": 35.93, "lon": 36.63,
         "geo_precision": 1}
ALEPPO = {"text": ["حلب"], "name": "Aleppo", "country": "SY", "admin1": "Aleppo", "lat": 36.2, "lon": 37.16,
          "geo_precision": 1}


def span(sub: str, text: str = TEXT) -> list[int]:
    i = text.find(sub)
    assert i >= 0
    return [i, i + len(sub)]


def gold_event(evidence, etype="Explosions/Remote violence", sub="Air/drone strike", date="2020-01-16",
               location=None, actors=(), figures=(), denied_by=()):
    return {
        "event_type": etype, "sub_event_type": sub, "evidence": list(evidence),
        "date": {"start": date} if date else None, "location": location or dict(IDLIB),
        "actors": list(actors), "civilian_targeting": False, "figures": list(figures), "denied_by": list(denied_by),
    }


def gold_doc(events, text=TEXT, doc_id="d1"):
    return {"doc_id": doc_id, "published": "2020-01-16", "outlet": "test", "text": text, "events": events}


def sys_event(evidence, etype="Explosions/Remote violence", sub="Air/drone strike", date="2020-01-16",
              location=None, actors=(), claims=(), eid="E1", text=TEXT):
    loc = dict(IDLIB if location in (None, "none") else location)
    loc.pop("text", None)
    return {
        "id": eid, "event_type": etype, "sub_event_type": sub,
        "date": {"start": date, "end": date} if date else None, "location": loc if location != "none" else None,
        "actors": list(actors), "claims": list(claims),
        "evidence": [{"text": e, "span": span(e, text)} for e in evidence],
    }


OBS = {"id": "S1", "name": "SOHR", "name_ar": "المرصد السوري لحقوق الإنسان", "kind": "monitor",
       "mentions": [{"text": "المرصد السوري لحقوق الإنسان", "span": [4, 31]}]}
OUTLET = {"id": "S0", "name": "test", "name_ar": None, "kind": "outlet", "mentions": []}
MOD = {"id": "S2", "name": "Russian MoD", "name_ar": "وزارة الدفاع الروسية", "kind": "government",
       "mentions": [{"text": "وزارة الدفاع الروسية", "span": [0, 1]}]}


def sys_doc(events, sources=(OBS, OUTLET, MOD), doc_id="d1"):
    return {"schema": "rasd.document/1", "doc": {"id": doc_id}, "sources": list(sources), "events": events}


def claim(source, figures=(), stance="asserts"):
    return {"source": source, "stance": stance, "text": "", "span": None, "figures": list(figures)}


def fig(kind, best, low="=", high="=", **kw):
    """A figure; low and high default to best (exact), None means open."""
    return {"kind": kind, "low": best if low == "=" else low, "high": best if high == "=" else high, "best": best,
            "qualifier": "exact", "group": "civilians", "text": kw.pop("text", ""), **kw}


# ----------------------------------------------------------------------------- text matching


def test_text_match_ignores_clitics_hamza_and_taa_marbuta():
    assert text_match("بمدينة إدلب", "مدينه ادلب")
    assert text_match("والمرصد السوري", "المرصد السوري لحقوق الإنسان")  # containment + clitics
    assert text_match("لجبل الزاوية", "جَبَل الزّاويـة")  # diacritics, tatweel
    assert not text_match("حلب", "محلبية")  # whole words only
    assert not text_match("", "حلب")
    assert any_match(["جبهة النصرة", "النصرة"], ["هيئة تحرير الشام", "للنصرة"])
    assert not any_match(["جبهة النصرة"], [None, "هيئة تحرير الشام"])


# ----------------------------------------------------------------------------- events


def test_events_match_by_evidence_overlap_and_type():
    gold = [gold_doc([gold_event([S1]), gold_event([S2], etype="Battles", sub="Armed clash", location=ALEPPO)])]
    system = [sys_doc([
        sys_event(["غارة جوية على مدينة إدلب"], eid="E1"),  # overlaps S1, same type
        sys_event(["اشتباكات عنيفة"], etype="Explosions/Remote violence", eid="E2", location=ALEPPO),  # wrong type
    ])]
    s = score(gold, system)
    assert s["events"]["tp"] == 1 and s["events"]["fp"] == 1 and s["events"]["fn"] == 1
    assert s["events_untyped"]["tp"] == 2 and s["events_untyped"]["f1"] == 1.0
    assert s["event_type"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    err = errors(gold, system)[0]
    assert err["events_missed"][0]["system_type"] == "Explosions/Remote violence"
    assert err["events_spurious"][0]["id"] == "E2"


def test_events_are_matched_one_to_one_by_largest_overlap():
    gold = [gold_doc([gold_event([S1])])]
    system = [sys_doc([sys_event(["مدينة إدلب"], eid="E1"), sys_event([S1], eid="E2")])]
    s = score(gold, system)
    assert (s["events"]["tp"], s["events"]["fp"], s["events"]["fn"]) == (1, 1, 0)
    assert errors(gold, system)[0]["events_spurious"][0]["id"] == "E1"  # E2 overlaps more and wins


def test_no_overlap_no_match_and_missing_system_doc_counts_as_empty():
    gold = [gold_doc([gold_event([S1])]), gold_doc([gold_event([S1])], doc_id="d2")]
    system = [sys_doc([sys_event([S2], location=ALEPPO)])]
    s = score(gold, system)
    assert (s["events"]["tp"], s["events"]["fp"], s["events"]["fn"]) == (0, 1, 2)
    assert s["events"]["f1"] == 0.0
    assert s["sub_event_type"]["accuracy"] is None  # nothing matched: undefined, not zero


def test_shared_evidence_events_pair_by_place():
    text = "وشنت الطائرات غارات على إدلب وحلب اليوم."
    sent = "وشنت الطائرات غارات على إدلب وحلب اليوم"
    gold = [gold_doc([gold_event([sent]), gold_event([sent], location=ALEPPO)], text=text)]
    system = [sys_doc([sys_event([sent], location=ALEPPO, eid="E1", text=text),
                       sys_event([sent], eid="E2", text=text)])]
    s = score(gold, system)
    assert s["events"]["tp"] == 2 and s["location"]["accuracy"] == 1.0


# ----------------------------------------------------------------------------- attributes


def test_subtype_and_date_accuracy_skip_null_gold_dates():
    gold = [gold_doc([gold_event([S1], date=None), gold_event([S2], etype="Battles", sub="Armed clash",
                                                            date="2020-01-15", location=ALEPPO)])]
    system = [sys_doc([
        sys_event([S1], sub="Shelling/artillery/missile attack", date="2020-01-10", eid="E1"),
        sys_event([S2], etype="Battles", sub="Armed clash", date="2020-01-16", location=ALEPPO, eid="E2"),
    ])]
    s = score(gold, system)
    assert s["sub_event_type"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert s["date"] == {"correct": 0, "total": 1, "accuracy": 0.0}  # the null-date gold event is skipped
    wrong = errors(gold, system)[0]["events_wrong"]
    assert any(w.get("date") == ["2020-01-15", "2020-01-16"] for w in wrong)
    assert any(w.get("sub_event_type") == ["Air/drone strike", "Shelling/artillery/missile attack"] for w in wrong)


def _loc_score(gold_loc, sys_loc) -> float:
    gold = [gold_doc([gold_event([S1], location=gold_loc)])]
    system = [sys_doc([sys_event([S1], location=sys_loc)])]
    return score(gold, system)["location"]["accuracy"]


def test_location_within_15_km_for_a_town():
    near = {**IDLIB, "lat": 35.93 + 0.1, "name": "Binnish"}  # ~11 km north
    far = {**IDLIB, "lat": 35.93 + 0.3, "name": "Somewhere"}  # ~33 km north
    assert _loc_score(IDLIB, near) == 1.0
    assert _loc_score(IDLIB, far) == 0.0
    assert _loc_score(IDLIB, "none") == 0.0  # a system event without location is wrong


def test_location_region_75_km_or_same_admin1():
    region = {**IDLIB, "geo_precision": 3}
    far_same_admin1 = {"name": "Jisr al-Shughur", "country": "SY", "admin1": "IDLIB governorate",
                       "lat": 35.81, "lon": 36.32, "geo_precision": 1}
    assert _loc_score(region, far_same_admin1) == 1.0
    other_admin1_60km = {"name": "X", "country": "SY", "admin1": "Hama", "lat": 35.93 - 0.5, "lon": 36.63,
                         "geo_precision": 1}  # ~56 km south
    assert _loc_score(region, other_admin1_60km) == 1.0
    other_admin1_100km = {**other_admin1_60km, "lat": 35.93 - 0.9}
    assert _loc_score(region, other_admin1_100km) == 0.0
    # the same 56 km is wrong when gold is a town
    assert _loc_score(IDLIB, other_admin1_60km) == 0.0


def test_location_country_level_needs_same_country():
    syria = {"text": ["سوريا"], "name": "Syria", "country": "SY", "admin1": None, "lat": 34.8, "lon": 38.99,
             "geo_precision": 3}
    assert _loc_score(syria, IDLIB) == 1.0  # Idlib is > 75 km from Syria's centroid, but in Syria
    assert _loc_score(syria, {**IDLIB, "country": "TR"}) == 0.0


def test_actor_recall_by_text_or_name():
    actors = [
        {"role": "actor1", "text": ["جبهة النصرة", "النصرة"], "name": "Hayat Tahrir al-Sham", "inter": 2},
        {"role": "actor2", "text": ["جيش النظام"], "name": "Military Forces of Syria", "inter": 1},
        {"role": "assoc_actor_1", "text": ["الحزب الإسلامي التركستاني"], "name": "Turkistan Islamic Party", "inter": 2},
    ]
    sys_actors = [
        {"role": "actor1", "id": "HTS", "name": "HTS", "name_ar": None, "text": "للنصرة", "span": [0, 1]},
        {"role": "actor2", "id": "SYR", "name": "Military Forces of Syria", "name_ar": "القوات المسلحة السورية",
         "text": "القوات الحكومية", "span": [0, 1]},
    ]
    gold = [gold_doc([gold_event([S1], actors=actors)])]
    system = [sys_doc([sys_event([S1], actors=sys_actors)])]
    s = score(gold, system)
    assert s["actors"] == {"found": 2, "total": 3, "recall": pytest.approx(2 / 3)}


# ----------------------------------------------------------------------------- figures


def test_figure_best_must_fall_inside_gold_interval_and_kind_must_agree():
    gold_figs = [
        {**fig("killed", 12, low=10, high=99), "source": ["المرصد السوري لحقوق الإنسان", "المرصد"]},
        {**fig("injured", 5, low=5, high=None), "source": ["المرصد"]},  # at least 5: open above
    ]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    system = [sys_doc([sys_event([S1], claims=[claim("S1", [fig("killed", 40), fig("injured", 300),
                                                             fig("displaced", 12)])])])]
    s = score(gold, system)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (2, 1, 0)
    system = [sys_doc([sys_event([S1], claims=[claim("S1", [fig("killed", 100)])])])]
    s = score(gold, system)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (0, 1, 2)


def test_figure_source_must_agree_and_outlet_voice_matches_outlet_source():
    gold_figs = [
        {**fig("killed", 12), "source": []},  # the outlet's own voice
        {**fig("killed", 3), "source": ["وزارة الدفاع الروسية", "روسيا"]},
    ]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    good = [sys_doc([sys_event([S1], claims=[claim("S0", [fig("killed", 12)]), claim("S2", [fig("killed", 3)])])])]
    assert score(gold, good)["figures"]["f1"] == 1.0
    swapped = [sys_doc([sys_event([S1], claims=[claim("S1", [fig("killed", 12)]), claim("S0", [fig("killed", 3)])])])]
    s = score(gold, swapped)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (0, 2, 2)


def test_figures_ignore_event_boundaries_but_are_one_to_one():
    gold_figs = [{**fig("killed", 12), "source": []}]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    # the figure sits on an unmatched (spurious) event: still counted per document; the copy is a false positive
    system = [sys_doc([sys_event([S2], location=ALEPPO, claims=[claim("S0", [fig("killed", 12), fig("killed", 12)])])])]
    s = score(gold, system)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (1, 1, 0)


def test_equal_best_pairs_first():
    gold_figs = [{**fig("killed", 12, low=10, high=99), "source": []}, {**fig("killed", 40), "source": []}]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    # 40 fits both gold figures; it must go to the exact 40 so that 12 can take the vague one
    system = [sys_doc([sys_event([S1], claims=[claim("S0", [fig("killed", 40), fig("killed", 12)])])])]
    assert score(gold, system)["figures"]["f1"] == 1.0


def test_optional_figures_missed_are_no_error_found_are_hits():
    gold_figs = [{**fig("killed", 12), "source": []}, {**fig("injured", 7), "source": [], "optional": True}]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    without = [sys_doc([sys_event([S1], claims=[claim("S0", [fig("killed", 12)])])])]
    s = score(gold, without)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (1, 0, 0)
    assert s["exact_records"]["accuracy"] == 1.0
    assert errors(gold, without)[0]["figures_missed"] == []
    with_it = [sys_doc([sys_event([S1], claims=[claim("S0", [fig("killed", 12), fig("injured", 7)])])])]
    s = score(gold, with_it)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (2, 0, 0)


def test_required_figures_take_precedence_over_optional_ones():
    gold_figs = [{**fig("killed", 40), "source": [], "optional": True},
                 {**fig("killed", 12, low=10, high=99), "source": []}]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    system = [sys_doc([sys_event([S1], claims=[claim("S0", [fig("killed", 40)])])])]
    s = score(gold, system)
    assert (s["figures"]["tp"], s["figures"]["fp"], s["figures"]["fn"]) == (1, 0, 0)


def test_exact_records_need_subtype_date_location_and_figures():
    gold_figs = [{**fig("killed", 12), "source": ["المرصد"]}]
    gold = [gold_doc([gold_event([S1], figures=gold_figs)])]
    ok = [sys_doc([sys_event([S1], claims=[claim("S1", [fig("killed", 12)])])])]
    assert score(gold, ok)["exact_records"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    no_fig = [sys_doc([sys_event([S1], claims=[claim("S1", [fig("killed", 11)])])])]
    assert score(gold, no_fig)["exact_records"]["correct"] == 0
    bad_date = [sys_doc([sys_event([S1], date="2020-01-15", claims=[claim("S1", [fig("killed", 12)])])])]
    assert score(gold, bad_date)["exact_records"]["correct"] == 0


# ----------------------------------------------------------------------------- denials


def test_denials_per_document():
    denied = [["وزارة الدفاع الروسية", "روسيا"]]
    gold = [gold_doc([gold_event([S1], denied_by=denied), gold_event([S1], sub="Shelling/artillery/missile attack",
                                                                     denied_by=denied)])]
    system = [sys_doc([sys_event([S1], claims=[claim("S2", stance="denies"), claim("S1", stance="denies")])])]
    s = score(gold, system)
    assert (s["denials"]["tp"], s["denials"]["fp"], s["denials"]["fn"]) == (1, 1, 0)  # the two gold lists are one source
    err = errors(gold, system)[0]
    assert err["denials_wrong"] == ["المرصد السوري لحقوق الإنسان"]
    s = score(gold, [sys_doc([sys_event([S1])])])
    assert (s["denials"]["tp"], s["denials"]["fp"], s["denials"]["fn"]) == (0, 0, 1)
    assert s["denials"]["precision"] is None


# ----------------------------------------------------------------------------- the example gold


def gold_as_system(g: dict) -> dict:
    """What a perfect extractor would output for a gold document."""
    text, sources, ids, events = g["text"], [], {}, []

    def source(alts: list[str]) -> str:
        if tuple(alts) not in ids:
            ids[tuple(alts)] = f"S{len(ids) + 1}"
            sources.append({"id": ids[tuple(alts)], "name": None, "name_ar": alts[0] if alts else None,
                            "kind": "monitor" if alts else "outlet",
                            "mentions": [{"text": a, "span": None} for a in alts]})
        return ids[tuple(alts)]

    for i, e in enumerate(g["events"]):
        claims = [claim(source(f["source"]), [f]) for f in e["figures"]]
        claims += [claim(source(alts), stance="denies") for alts in e["denied_by"]]
        events.append({
            "id": f"E{i + 1}", "event_type": e["event_type"], "sub_event_type": e["sub_event_type"], "date": e["date"],
            "location": {k: v for k, v in e["location"].items() if k != "text"},
            "actors": [{"role": a["role"], "name": a["name"], "text": a["text"][0]} for a in e["actors"]],
            "claims": claims,
            "evidence": [{"text": t, "span": [text.find(t), text.find(t) + len(t)]} for t in e["evidence"]],
        })
    return {"schema": "rasd.document/1", "doc": {"id": g["doc_id"]}, "sources": sources, "events": events}


def test_example_gold_scored_against_itself_is_perfect():
    if not EXAMPLE.exists():
        pytest.skip("../shared not present")
    g = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    s = score([g], [gold_as_system(g)])
    for key in ("events", "events_untyped", "figures", "denials"):
        assert s[key]["f1"] == 1.0, key
    for key in ("event_type", "sub_event_type", "date", "location", "exact_records"):
        assert s[key]["accuracy"] == 1.0, key
    assert s["actors"]["recall"] == 1.0
    assert not any(v for k, v in errors([g], [gold_as_system(g)])[0].items() if k != "doc_id")


def test_example_is_a_line_of_the_dev_gold_and_run_scores_it(tmp_path, capsys):
    if not EXAMPLE.exists() or not DEV_GOLD.exists():
        pytest.skip("../shared not present")
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    dev = {d["doc_id"]: d for d in load_gold(DEV_GOLD)}
    assert dev[example["doc_id"]]["events"] == example["events"]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(example, ensure_ascii=False) + "\n", encoding="utf-8")
    scores, errs = run(path, gold_as_system)
    assert scores["events"]["f1"] == 1.0 and scores["docs"] == 1
    # an extractor that finds nothing: recall 0, every gold event listed as missed
    scores, errs = run(path, lambda g: {"doc": {"id": g["doc_id"]}, "sources": [], "events": []})
    assert scores["events"]["recall"] == 0.0
    assert len(errs[0]["events_missed"]) == len(example["events"])
    # the console helpers render without error
    assert main(str(path), as_json=True, show_errors=True, extract_fn=gold_as_system) == 0
    assert json.loads(capsys.readouterr().out)["scores"]["events"]["f1"] == 1.0
    assert main(str(path), as_json=False, show_errors=True, extract_fn=lambda g: {"events": []}) == 0
    out = capsys.readouterr().out
    assert "events" in out and "missed event" in out
    assert format_table(scores).row_count >= 10
    assert format_errors(errs) is not None
