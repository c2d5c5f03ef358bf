"""Behaviour of the actor & source recogniser a user would notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.actors import (
    ActorEntry,
    countries,
    country_of_text,
    find_actors,
    registry,
    resolve_generic,
)
from rasd.text.normalize import normalize_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def ids(text: str, hint: str | None = None) -> list[str]:
    return [m.entry.id for m in find_actors(normalize_key(text), hint)]


def surface(text: str, hint: str | None = None) -> list[tuple[str, str]]:
    norm = normalize_key(text)
    return [(norm[m.start : m.end], m.entry.id) for m in find_actors(norm, hint)]


# --- the registry itself


def test_registry_rows_are_well_formed():
    reg = registry()
    assert len(reg) > 150
    for e in reg.values():
        assert isinstance(e, ActorEntry)
        assert 1 <= e.inter <= 8
        assert e.role in {"actor", "source", "both"}
        assert e.country == "*" or e.country == "" or e.country in countries() or len(e.country) == 2
    assert reg["SANA"].party == "SYR-GOV"
    assert reg["SOHR"].kind == "monitor"
    assert reg["HTS"].name == "Hayat Tahrir al-Sham"
    assert reg["RUS-MOD"].party == "RUS-MIL"
    assert reg["SPA"].party == "SAU-GOV"  # a generic party (GOV) resolved with the row's country


# --- aliases, clitics, longest match


def test_aliases_with_clitics():
    assert surface("والجيش السوري يتقدم") == [("الجيش السوري", "SYR-MIL")]
    assert ids("هجوم لقوات الأسد") == ["SYR-MIL"]
    assert ids("وقالت وكالة سانا") == ["SANA"]
    assert ids("بحسب الحوثيين", "YE") == ["HOUTHI"]


def test_longest_match_wins():
    assert ids("قال المرصد السوري لحقوق الإنسان") == ["SOHR"]
    assert ids("مقاتلو الجيش السوري الحر") == ["FSA"]
    assert ids("أعلنت الشبكة السورية لحقوق الإنسان") == ["SNHR"]


def test_ordinary_words_are_not_actors():
    assert ids("سقطت قذائف على قاعدة عسكرية", "YE") == []  # قاعدة (a base) is not al-Qaeda
    assert ids("بلغت حصيلة القتلى", "SY") == []
    assert ids("تدخل في الشؤون الداخلية للبلاد", "SY") == []  # الداخلية: internal, not the ministry
    assert ids("وقع هجوم مسلح", "IQ") == []  # مسلح as an adjective
    assert ids("قال وزير الدفاع الوطني", "LB") == ["MOD-LB"]  # not the Syrian NDF militia
    assert find_actors("") == []


# --- generic rows and countries


def test_generic_rows_resolved_by_country_hint():
    civ = find_actors(normalize_key("قتل ثلاثة مدنيين"), "YE")[0]
    assert civ.generic and civ.entry.id == "CIV-YE" and civ.entry.name == "Civilians (Yemen)"
    assert civ.entry.inter == 7
    assert ids("أطلق متظاهرون هتافات", "SY") == ["PROT-SY"]
    assert ids("هاجم مسلحون مجهولون", "IQ") == ["UAG-IQ"]
    assert ids("اعتقلت الشرطة", "EG") == ["EGY-POL"]
    assert ids("قصف الجيش", "IQ") == ["IRQ-MIL"]
    assert ids("قصف الجيش", "SY") == ["SYR-MIL"]
    assert find_actors(normalize_key("قصف الجيش"), "DZ")[0].entry.name == "Military Forces of Algeria"


def test_resolve_generic_directly():
    reg = registry()
    assert resolve_generic(reg["CIV"], "SY").name == "Civilians (Syria)"
    assert resolve_generic(reg["MIL"], "US").name == "Military Forces of the United States"
    assert resolve_generic(reg["AQ"], "YE").id == "AQAP"
    assert resolve_generic(reg["HTS"], "YE").id == "HTS"  # concrete rows pass through
    assert resolve_generic(reg["UAG"], None).id == "UAG"  # no country: stays generic


def test_generic_without_any_country_stays_generic():
    m = find_actors(normalize_key("قتل مدنيون"))[0]
    assert m.generic and m.entry.country == "*"


def test_nationality_adjectives_name_actors():
    assert ids("شنت الطائرات الروسية غارات", "SY") == ["RUS-MIL"]
    assert ids("قصف روسي على البلدة", "SY") == ["RUS-MIL"]
    assert ids("استهدف الطيران السوري") == ["SYR-MIL"]
    assert ids("غارات طيران التحالف", "YE") == ["SAUDI-COALITION"]
    assert ids("قالت الحكومة اليمنية") == ["YEM-GOV"]
    assert ids("قصفت المدفعية التركية") == ["TUR-MIL"]
    assert ids("اعتقلت الشرطة الأردنية") == ["POL-JO"]
    assert ids("ثلاثة صحافيين إسبان") == ["CIV-ES"]
    adj = find_actors(normalize_key("الطائرات الروسية"), "SY")[0]
    assert not adj.generic  # the phrase itself names the country


def test_country_of_text():
    assert country_of_text(normalize_key("قصف في ريف إدلب قال المرصد السوري إن قوات النظام السوري")) == "SY"
    assert country_of_text(normalize_key("اشتباكات في عدن وتعز بين الحوثيين والمقاومة اليمنية")) == "YE"
    assert country_of_text(normalize_key("لا شيء هنا")) is None
    # a wire dateline names where the desk is, not where the events are
    assert (
        country_of_text(normalize_key("دبي، الإمارات العربية المتحدة (CNN) -- قالت السلطات في البحرين"))
        == "BH"
    )


# --- sources of each kind


@pytest.mark.parametrize(
    ("text", "hint", "rid", "kind"),
    [
        ("وقال المرصد السوري", "SY", "SOHR", "monitor"),
        ("نقلت وكالة الأنباء الرسمية", "SY", "SANA", "media"),
        ("ذكرت وكالة الأنباء السعودية واس", "SA", "SPA", "media"),
        ("قالت وكالة رويترز", "SY", "REUTERS", "media"),
        ("وفقا لوكالة فرانس برس", "SY", "AFP", "media"),
        ("أعلنت المفوضية العليا للاجئين", "SY", "UNHCR", "un_ngo"),
        ("قالت منظمة أطباء بلا حدود", "YE", "MSF", "medical"),
        ("قالت مصادر طبية", "YE", "HOSP-YE", "medical"),
        ("أفاد مصدر عسكري", "SY", "SRC-MIL-SY", "unnamed"),
        ("قال مصدر أمني", "IQ", "SRC-SEC-IQ", "unnamed"),
        ("قال شهود عيان", "YE", "SRC-WIT-YE", "witness"),
        ("وقال ناشطون", "SY", "SRC-ACT-SY", "witness"),
        ("قال محافظ المدينة", "EG", "LOCOFF-EG", "local_official"),
        ("أعلنت وزارة الدفاع الروسية", "SY", "RUS-MOD", "military"),
        ("قالت وزارة الداخلية", "TN", "MOI-TN", "government"),
        ("نقلت الأنباء الواردة من سوريا", "SY", "SRC-NEWS-SY", "unnamed"),
    ],
)
def test_sources_of_each_kind(text, hint, rid, kind):
    speakers = [m.entry for m in find_actors(normalize_key(text), hint) if m.entry.can_speak]
    assert speakers, text
    assert speakers[0].id == rid
    assert speakers[0].kind == kind


def test_unnamed_source_speaks_for_the_resolved_side():
    src = find_actors(normalize_key("قال مصدر عسكري"), "SY")[0].entry
    assert src.party == "SYR-MIL"
    assert find_actors(normalize_key("قال مصدر أمني"), "EG")[0].entry.party == "EGY-POL"


# --- real articles from ../shared


def test_idlib_example_actors_and_sources():
    path = SHARED / "examples/idlib-2020.txt"
    if not path.exists():
        pytest.skip("../shared not present")
    norm = normalize_key(path.read_text(encoding="utf-8"))
    found = {m.entry.id for m in find_actors(norm)}
    assert country_of_text(norm) == "SY"
    assert {"HTS", "TIP", "SYR-MIL", "RUS-MIL", "SOHR", "RUS-MOD"} <= found


def test_yemen_dev_article_actors(dev_gold):
    docs = [
        d
        for d in dev_gold
        if "الحوثي" in d["text"] and "المقاومة الشعبية" in d["text"] and "التحالف" in d["text"]
    ]
    if not docs:
        pytest.skip("no Yemen article with those actors in the gold")
    norm = normalize_key(docs[0]["text"])
    assert country_of_text(norm) == "YE"
    found = {m.entry.id for m in find_actors(norm)}
    assert {"HOUTHI", "POP-RES-YEM", "SAUDI-COALITION"} <= found


def test_dev_gold_recall_floor(dev_gold):
    """Every gold actor name we cover should still be found in the gold texts' evidence."""
    docs = dev_gold
    total = found = 0
    for doc in docs:
        norm = normalize_key(doc["text"])
        mentions = find_actors(norm)
        names = {m.entry.name for m in mentions}
        for ev in doc["events"]:
            for actor in ev["actors"]:
                total += 1
                found += actor["name"] in names
    assert found / total > 0.6
