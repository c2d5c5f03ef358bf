"""Events: typing, one event per place and day, merging of repeated reports, fallbacks."""

from __future__ import annotations

import rasd


def test_strikes_on_several_towns_are_several_events_sharing_evidence():
    out = rasd.extract("قصفت قوات النظام بالمدفعية بلدتي داريا ودوما في ريف دمشق صباح اليوم.",
                       published="2021-03-11")
    places = sorted(e.location.name for e in out.events)
    assert places == ["Douma", "Dārayyā"] or len(places) == 2
    assert all(e.sub_event_type == "Shelling/artillery/missile attack" for e in out.events)
    assert len({e.evidence[0].span for e in out.events}) == 1


def test_a_later_report_of_the_same_attack_merges():
    out = rasd.extract(
        "قتل 9 جنود في هجوم شنه مسلحون على موقع عسكري في مدينة المكلا أمس. "
        "وقال مصدر أمني إن الاشتباكات استمرت ساعتين وإن 3 جنود آخرين أصيبوا في الهجوم.",
        published="2015-08-01",
    )
    assert len(out.events) == 1
    ev = out.events[0]
    assert ev.event_type == "Battles"
    assert len(ev.evidence) == 2
    assert {(f.kind, f.best) for c in ev.claims for f in c.figures} >= {("killed", 9), ("injured", 3)}


def test_killing_of_civilians_only_is_violence_against_civilians():
    out = rasd.extract("قتل مسلحون مجهولون 4 مدنيين في مدينة الموصل اليوم.", published="2021-03-11")
    ev = out.events[0]
    assert ev.event_type == "Violence against civilians"
    assert ev.civilian_targeting


def test_protest_and_arrests():
    out = rasd.extract("خرج مئات المتظاهرين في مدينة البصرة اليوم للمطالبة بتحسين الخدمات. "
                       "واعتقلت قوات الأمن 12 متظاهراً في المدينة.", published="2021-03-11")
    kinds = {(e.event_type, e.sub_event_type) for e in out.events}
    assert ("Protests", "Peaceful protest") in kinds
    assert ("Strategic developments", "Arrests") in kinds


def test_undated_sentence_uses_the_story_date():
    out = rasd.extract("قتل 3 مدنيين في غارة على مدينة سراقب أمس. وأصيب 5 آخرون في الغارة نفسها.",
                       published="2021-03-11")
    assert out.events[0].date.start == "2021-03-10"


def test_figures_with_no_event_are_kept_not_dropped():
    out = rasd.extract("نزح أكثر من 5000 شخص من مدينة تلعفر خلال اليومين الماضيين.", published="2021-03-11")
    figs = [f for e in out.events for c in e.claims for f in c.figures]
    assert any(f.kind == "displaced" and f.best == 5000 for f in figs)


def test_killing_protesters_is_excessive_force():
    out = rasd.extract("قتلت قوات الأمن 3 متظاهرين في مدينة البصرة اليوم.", published="2021-03-11")
    assert (out.events[0].event_type, out.events[0].sub_event_type) == ("Protests", "Excessive force against protesters")
