"""Event triggers, weapons, context refinement and non-event frames (rasd.triggers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.text.normalize import normalize, normalize_key
from rasd.triggers import (
    Trigger,
    find_event_triggers,
    find_triggers,
    find_weapons,
    is_non_event_context,
    refine_sub_event_type,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LEXICONS = Path(__file__).resolve().parents[1] / "src" / "rasd" / "lexicons"

ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other",
    },
}


def resolved(sentence: str, min_weight: float = 0.3) -> set[tuple[str, str]]:
    return {(t.event_type, t.sub_event_type) for t in find_event_triggers(normalize_key(sentence)) if t.weight >= min_weight}


def top(sentence: str) -> tuple[str, str]:
    best = max(find_event_triggers(normalize_key(sentence)), key=lambda t: t.weight)
    return best.event_type, best.sub_event_type


SENTENCES = [
    ("اندلعت اشتباكات عنيفة بين الجيش ومسلحين في ريف حلب", "Battles", "Armed clash"),
    ("استعاد الجيش السوري السيطرة على بلدة خان شيخون", "Battles", "Government regains territory"),
    ("سيطرت فصائل المعارضة على معبر اليعربية الحدودي", "Battles", "Non-state actor overtakes territory"),
    ("قتل 15 شخصا في هجوم بغاز السارين على بلدة في ريف دمشق", "Explosions/Remote violence", "Chemical weapon"),
    ("شنت الطائرات الحربية غارات على مدينة إدلب", "Explosions/Remote violence", "Air/drone strike"),
    ("فجر انتحاري نفسه في سوق ببغداد", "Explosions/Remote violence", "Suicide bomb"),
    ("سقطت قذائف هاون على حي في دمشق", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("انفجرت عبوة ناسفة بدورية للشرطة في العريش", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("ألقى مجهول قنبلة يدوية على مقهى في المدينة", "Explosions/Remote violence", "Grenade"),
    ("وثقت المنظمة حالات اغتصاب ارتكبها مسلحون", "Violence against civilians", "Sexual violence"),
    ("اغتال مسلحون مجهولون صحفيا في مدينة درعا", "Violence against civilians", "Attack"),
    ("اختطف مسلحون ثلاثة صحافيين في حلب", "Violence against civilians", "Abduction/forced disappearance"),
    ("خرج متظاهرون في مدينة حماة يطالبون بالإصلاح", "Protests", "Peaceful protest"),
    ("فرقت الشرطة المتظاهرين بالغاز المسيل للدموع", "Protests", "Protest with intervention"),
    ("أطلقت قوات الأمن الرصاص الحي على المتظاهرين فقتلت ثلاثة منهم", "Protests", "Excessive force against protesters"),
    ("رشق متظاهرون قوات الأمن بالحجارة وأحرقوا إطارات", "Riots", "Violent demonstration"),
    ("اندلع عنف طائفي في القرية", "Riots", "Mob violence"),
    ("أعلن الطرفان التوصل إلى هدنة في المدينة", "Strategic developments", "Agreement"),
    ("اعتقلت قوات الأمن عشرين شخصا في الحي", "Strategic developments", "Arrests"),
    ("انشق عشرات الجنود عن الجيش", "Strategic developments", "Change to group/activity"),
    ("تمكن خبراء المتفجرات من تفكيك عبوة ناسفة قرب المدرسة", "Strategic developments", "Disrupted weapons use"),
    ("أنشأت القوات التركية قاعدة عسكرية جديدة قرب المدينة", "Strategic developments", "Headquarters or base established"),
    ("نهب مسلحون محتويات المستودعات", "Strategic developments", "Looting/property destruction"),
    ("انسحب المسلحون من البلدة بموجب اتفاق مع الحكومة", "Strategic developments", "Non-violent transfer of territory"),
    ("فرضت القوات حصارا على المدينة", "Strategic developments", "Other"),
]


def test_every_acled_sub_event_type_has_a_test_sentence():
    assert {(et, st) for _, et, st in SENTENCES} == {(et, st) for et, subs in ACLED.items() for st in subs}


@pytest.mark.parametrize(("sentence", "event_type", "sub_event_type"), SENTENCES)
def test_sentence_gives_its_sub_event_type(sentence, event_type, sub_event_type):
    assert (event_type, sub_event_type) in resolved(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("اندلعت اشتباكات عنيفة بين الجيش ومسلحين في ريف حلب", ("Battles", "Armed clash")),
        ("شنت الطائرات الحربية غارات على مدينة إدلب", ("Explosions/Remote violence", "Air/drone strike")),
        ("أحبطت الشرطة محاولة انتحاري تفجير نفسه بسيارة مفخخة", ("Strategic developments", "Disrupted weapons use")),
    ],
)
def test_strongest_trigger_names_the_event(sentence, expected):
    assert top(sentence) == expected


def test_lexicon_types_are_exact_acled_strings_and_cover_all_25():
    seen = set()
    for line in (LEXICONS / "triggers.tsv").read_text(encoding="utf-8").splitlines()[2:]:
        phrase, et, st, weight, *_ = line.split("\t")
        if not et:
            continue  # blocker row
        assert et in ACLED, phrase
        assert st == "" or st in ACLED[et], phrase
        assert 0 < float(weight) <= 1.0
        seen.add(st)
    assert set().union(*ACLED.values()) <= seen
    all_subs = set().union(*ACLED.values())
    for line in (LEXICONS / "weapons.tsv").read_text(encoding="utf-8").splitlines()[2:]:
        implies = line.split("\t")[2]
        assert implies == "" or implies in all_subs, line


def test_triggers_inflect_and_take_clitics():
    norm = normalize_key("وقصفت الطائرات البلدة، ثم تعرضت لقصفهم مجددا والاشتباكات مستمرة")
    phrases = [t.phrase for t in find_triggers(norm)]
    assert phrases == ["قصفت", "قصف", "الاشتباكات"]  # a pronoun suffix is accepted but not part of the span
    # offsets index the normalised text
    t = find_triggers(norm)[0]
    assert norm[t.start:t.end] == t.phrase


def test_longest_phrase_wins():
    [t] = find_triggers(normalize_key("وقع تفجير انتحاري"))
    assert t.sub_event_type == "Suicide bomb" and t.phrase == "تفجير انتحاري"


def test_weapons_vocabulary():
    norm = normalize_key("قصفت مروحيات النظام بالبراميل المتفجرة وقذائف الهاون بعد انفجار سيارة مفخخة")
    assert [w.weapon for w in find_weapons(norm)] == ["helicopter", "barrel_bomb", "mortar", "vbied"]
    assert find_weapons(norm)[1].implies == "Air/drone strike"
    assert find_weapons(normalize_key("أطلقوا الرصاص"))[0].implies == ""


# ---- context refinement -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "sub"),
    [
        ("قصفت الطائرات الحربية الروسية بلدة كفرنبل", "Air/drone strike"),
        ("قصف الطيران المروحي مناطق في ريف حلب", "Air/drone strike"),
        ("قصفت قوات النظام بالمدفعية حي القابون", "Shelling/artillery/missile attack"),
        ("قصفت القوات حي القابون بالصواريخ", "Shelling/artillery/missile attack"),
        ("تعرض حي القدم لقصف", "Shelling/artillery/missile attack"),
    ],
)
def test_shelling_reads_the_weapon(sentence, sub):
    assert ("Explosions/Remote violence", sub) in resolved(sentence)


def test_weapon_of_another_event_in_the_sentence_does_not_leak():
    sentence = (
        "نفذ الطيران الحربي عشر ضربات على المدينة ثم سقطت عدة صواريخ على مناطق أخرى وجددت قوات النظام "
        "قصفها لمناطق في بلدة الطيبة بالغوطة الغربية دون أنباء عن إصابات"
    )
    norm = normalize_key(sentence)
    last = [t for t in find_event_triggers(norm) if t.phrase == "قصفها"][0]
    assert last.sub_event_type == "Shelling/artillery/missile attack"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("هجوم بسيارة مفخخة على حاجز للجيش", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("هجوم نفذه انتحاري يرتدي حزاما ناسفا", ("Explosions/Remote violence", "Suicide bomb")),
        ("هجوم على قرية قتل فيه عشرة مدنيين", ("Violence against civilians", "Attack")),
        ("هجوم على موقع عسكري للجيش", ("Battles", "Armed clash")),
        ("قتل 11 جنديا في تفجير انتحاري بسيارة ملغومة", ("Explosions/Remote violence", "Suicide bomb")),
        ("مقتل خمسة أشخاص بانفجار عبوة في السوق", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("هجوم صاروخي بمواد كيماوية على البلدة", ("Explosions/Remote violence", "Chemical weapon")),
    ],
)
def test_attacks_read_weapon_and_target(sentence, expected):
    assert top(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("خرجت مظاهرة في وسط المدينة", ("Protests", "Peaceful protest")),
        ("حاولت الشرطة تفريق المظاهرة بالغاز المسيل للدموع", ("Protests", "Protest with intervention")),
        ("فضت قوات الأمن الاعتصام بالقوة واستخدمت خراطيم المياه", ("Protests", "Protest with intervention")),
        ("تفريق المسيرة بإطلاق النار على المتظاهرين", ("Protests", "Excessive force against protesters")),
        ("تحولت التظاهرة إلى أعمال شغب ورشق بالحجارة", ("Riots", "Violent demonstration")),
        ("قتل ثلاثة متظاهرين برصاص الشرطة", ("Protests", "Excessive force against protesters")),
    ],
)
def test_protest_refinement(sentence, expected):
    assert expected in resolved(sentence)
    assert ("Protests", "Peaceful protest") not in resolved(sentence) or expected == ("Protests", "Peaceful protest")


@pytest.mark.parametrize(
    ("sentence", "sub"),
    [
        ("سيطر الجيش الوطني على مواقع الحوثيين قرب السجن", "Government regains territory"),
        ("سيطرت قوات المعارضة على مدينة الرقة", "Non-state actor overtakes territory"),
        ("تمكنت القوات الحكومية من السيطرة على البلدة", "Government regains territory"),
        ("أعلن المسلحون سيطرتهم على المدينة", "Non-state actor overtakes territory"),
        ("انسحبت قوات النظام من مواقعها في المدينة", "Non-state actor overtakes territory"),
    ],
)
def test_territory_reads_who_took_it(sentence, sub):
    assert ("Battles", sub) in resolved(sentence)


def test_detention_by_armed_group_is_an_abduction():
    assert ("Violence against civilians", "Abduction/forced disappearance") in resolved("احتجز مسلحو المعارضة محافظ الرقة")
    assert ("Strategic developments", "Arrests") in resolved("احتجزت السلطات الصحفي ليومين")


def test_seizure_with_weapons_is_disrupted_weapons_use():
    assert ("Strategic developments", "Disrupted weapons use") in resolved("تم ضبط أسلحة وذخائر في المنزل")


def test_blocker_rows_stop_false_territory():
    assert resolved("تحاول القوات السيطرة على الوضع في المدينة") == set()


def test_refine_can_be_called_on_a_clause():
    clause = normalize_key("قصفت المروحيات القرية")
    t = find_triggers(clause)[0]
    assert refine_sub_event_type(t, clause, find_weapons(clause)) == ("Explosions/Remote violence", "Air/drone strike")
    bare = Trigger(0, 3, "Explosions/Remote violence", "", 0.8, "قصف")
    assert refine_sub_event_type(bare, "قصف", [])[1] == "Shelling/artillery/missile attack"


# ---- non-event frames ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "هدد الجيش بشن هجوم على المدينة",
        "لن تقع اشتباكات في المدينة",
        "سوف تشن القوات غارات على المواقع",
        "في حال تقدم المسلحون إلى البلدة سترد القوات",
        "دعا المجلس إلى وقف القصف على المدنيين",
        "توعد التنظيم باستعادة المناطق",
    ],
)
def test_non_event_frames_drop_the_trigger(sentence):
    norm = normalize_key(sentence)
    assert all(is_non_event_context(norm, t) for t in find_triggers(norm) if t.weight >= 0.5)
    assert [t for t in find_event_triggers(norm) if t.weight >= 0.5] == []


def test_condemnation_and_trial_lower_but_keep():
    norm = normalize_key("أدانت الحكومة الهجوم الانتحاري على السوق")
    kept = [t for t in find_event_triggers(norm) if t.sub_event_type == "Suicide bomb"]
    assert kept and all(t.weight < 1.0 for t in kept) and max(t.weight for t in kept) > 0.3
    norm = normalize_key("حكمت المحكمة على 17 شخصا أدينوا بتهمة تفجير عبوة ناسفة")
    kept = find_event_triggers(norm)
    assert any(t.sub_event_type == "Remote explosive/landmine/IED" for t in kept)
    assert all(t.weight <= 0.5 for t in kept)


def test_frame_does_not_cross_a_comma():
    norm = normalize_key("قال إن الحل لن يأتي، واندلعت اشتباكات عنيفة")
    t = [t for t in find_triggers(norm) if t.phrase == "اشتباكات"][0]
    assert not is_non_event_context(norm, t)


def test_reported_event_is_not_a_non_event():
    norm = normalize_key("قتل 3 مدنيين في قصف روسي على جبل الزاوية")
    assert all(not is_non_event_context(norm, t) for t in find_triggers(norm))


# ---- real dev articles --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "phrase", "event_type", "sub"),
    [
        ("الغارات الروسية قتلت العشرات", "الغارات", "Explosions/Remote violence", "Air/drone strike"),
        ("قصف روسي، مساء أمس", "قصف روسي", "Explosions/Remote violence", "Air/drone strike"),
        ("بانفجار سيارة مفخخة في منطقة السيدية", "سيارة مفخخة", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("أحبطت الليلة الماضية", "أحبطت", "Strategic developments", "Disrupted weapons use"),
        ("في حملة اعتقالات شنتها", "حملة اعتقالات", "Strategic developments", "Arrests"),
        ("في تفجير انتحاري بسيارة ملغومة", "تفجير انتحاري", "Explosions/Remote violence", "Suicide bomb"),
        ("بإطلاق النار على المتظاهرين", "إطلاق النار على المتظاهرين", "Protests", "Excessive force against protesters"),
        ("سيطر الجيش الوطني مدعوماً", "سيطر", "Battles", "Government regains territory"),
        ("اختطف مجهولون يوم أول أمس", "اختطف", "Violence against civilians", "Abduction/forced disappearance"),
        ("مليونية الثورة", "مليونية", "Protests", "Peaceful protest"),
    ],
)
def test_dev_article_key_triggers(dev_gold, key, phrase, event_type, sub):
    for doc in dev_gold:
        norm = normalize(doc["text"])[0]
        pos = norm.find(normalize_key(key))
        if pos < 0:
            continue
        target = normalize_key(phrase)
        hits = [t for t in find_event_triggers(norm) if pos <= t.start < pos + len(key) + 5 and t.phrase.endswith(target)]
        assert hits, f"no trigger {phrase!r} in {doc['doc_id']}"
        assert (hits[0].event_type, hits[0].sub_event_type) == (event_type, sub)
        return
    pytest.fail(f"key phrase not found in dev gold: {key}")


def test_vague_verb_with_aircraft_becomes_a_confident_air_strike():
    [t] = find_event_triggers(normalize_key("كما استهدفت طائرات التحالف منطقة سناح"))
    assert (t.sub_event_type, t.weight >= 0.7) == ("Air/drone strike", True)


def test_commando_raid_is_a_clash_not_an_air_strike():
    assert top("قتل زعيم التنظيم في غارة شنتها قوات أمريكية خاصة على مخبئه") == ("Battles", "Armed clash")
    assert top("قتل زعيم التنظيم في غارة شنتها طائرات أمريكية على مخبئه") == (
        "Explosions/Remote violence", "Air/drone strike")


@pytest.mark.parametrize(
    "sentence",
    ["انفجرت أسطوانة غاز في مطعم", "ليس هناك دليل على وقوع هجوم بالأسلحة الكيماوية"],
)
def test_accidents_and_no_evidence_are_not_events(sentence):
    assert [t for t in find_event_triggers(normalize_key(sentence)) if t.weight >= 0.5] == []
