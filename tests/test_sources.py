"""Attribution: who says each figure, continuation across sentences, relays, denials, outlet voice."""

from __future__ import annotations

import pytest

import rasd


def claims_by_source(out):
    names = {s.id: s for s in out.sources}
    rows = []
    for e in out.events:
        for c in e.claims:
            rows.append((names[c.source], c.stance, [(f.kind, f.best) for f in c.figures]))
    return rows


def test_frame_binds_the_figures_of_its_sentence():
    out = rasd.extract("وبحسب المرصد السوري لحقوق الإنسان، قتل 12 مدنياً في قصف على بلدة سراقب اليوم.",
                       published="2021-03-11")
    (src, stance, figs), = claims_by_source(out)
    assert src.kind == "monitor" and src.name_ar == "المرصد السوري لحقوق الإنسان"
    assert stance == "asserts" and figs == [("killed", 12)]


def test_continuation_verb_keeps_the_previous_source():
    out = rasd.extract(
        "قال المرصد السوري لحقوق الإنسان إن غارة جوية استهدفت مدينة سراقب. وأضاف أن 7 مدنيين قتلوا في الغارة.",
        published="2021-03-11",
    )
    rows = claims_by_source(out)
    assert any(s.name_ar == "المرصد السوري لحقوق الإنسان" and ("killed", 7) in f for s, _, f in rows)


def test_sentence_without_cue_is_the_outlets_voice():
    out = rasd.extract("قتل 4 مدنيين في قصف مدفعي على مدينة دوما صباح اليوم.", published="2021-03-11",
                       outlet="rasd-test")
    (src, _, figs), = claims_by_source(out)
    assert src.kind == "outlet" and src.name == "rasd-test"
    assert figs == [("killed", 4)]


def test_denial_is_a_denies_claim_and_contests_the_event():
    out = rasd.extract(
        "أعلن الجيش السوري مقتل 30 مسلحاً في اشتباكات بمدينة حماة اليوم. "
        "لكن المرصد السوري لحقوق الإنسان نفى وقوع هذه الاشتباكات.",
        published="2021-03-11",
    )
    ev = out.events[0]
    names = {s.id: s for s in out.sources}
    assert ev.contested
    assert [names[c.source].name_ar for c in ev.claims if c.stance == "denies"] == ["المرصد السوري لحقوق الإنسان"]
    assert ev.fatalities.low == 0 and ev.fatalities.best == 30


def test_a_policy_denial_is_not_an_event_denial():
    out = rasd.extract(
        "قتل 5 جنود في هجوم على حاجز للجيش في مدينة درعا اليوم. ونفى وزير الخارجية أن بلاده ترسل قوات إلى هناك.",
        published="2021-03-11",
    )
    assert not any(c.stance == "denies" for e in out.events for c in e.claims)


def test_relay_keeps_the_original_source():
    out = rasd.extract(
        "ونقلت وكالة سانا عن مصدر عسكري قوله إن 6 مسلحين قتلوا في اشتباكات بريف حماة اليوم.",
        published="2021-03-11",
    )
    rows = claims_by_source(out)
    assert any("مصدر عسكري" in (s.name_ar or "") and ("killed", 6) in f for s, _, f in rows)
    assert any(s.name_ar and "الوكالة العربية السورية" in s.name_ar for s in out.sources)


def test_state_bodies_of_one_side_are_one_source(example_text):
    out = rasd.extract(example_text, published="2020-01-16")
    russia = [s for s in out.sources if "روسيا" in [m.text for m in s.mentions]]
    assert len(russia) == 1
    assert {"وزارة الدفاع الروسية", "الجيش الروسي"} <= {m.text for m in russia[0].mentions}


def test_frame_before_a_verb_takes_the_verbs_subject():
    out = rasd.extract("وأصيب 12 متظاهرا في مدينة البصرة اليوم، حسب ما أعلن ناشطون.", published="2021-03-11")
    names = {s.id: s for s in out.sources}
    speakers = {names[c.source].name_ar for e in out.events for c in e.claims if c.figures}
    assert speakers == {"ناشطون"} or any("ناشطون" in (n or "") for n in speakers)


DENIALS = [
    "وكذّب المرصد السوري لحقوق الإنسان هذه الرواية.",
    "وقال المرصد السوري لحقوق الإنسان إن هذه الأنباء عارية عن الصحة.",
    "لكن المرصد السوري لحقوق الإنسان قال إن رواية الجيش غير دقيقة.",
    "وأكد المرصد السوري لحقوق الإنسان أن لا صحة لهذه الأنباء.",
    "ونفى المرصد السوري لحقوق الإنسان مقتل هذا العدد من المسلحين.",
]


@pytest.mark.parametrize("denial", DENIALS)
def test_denial_phrasings(denial):
    out = rasd.extract("أعلن الجيش السوري مقتل 30 مسلحاً في اشتباكات بمدينة حماة اليوم. " + denial,
                       published="2021-03-11")
    names = {s.id: s.name_ar for s in out.sources}
    ev = out.events[0]
    assert [names[c.source] for c in ev.claims if c.stance == "denies"] == ["المرصد السوري لحقوق الإنسان"]
    assert ev.contested and ev.fatalities.low == 0
