"""Numbers and figures (SPEC section 4): what an analyst would read as counts of people."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.figures import FigureMention, Quantity, find_figures, find_quantities
from rasd.text.normalize import normalize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def quantities(text: str) -> list[tuple[int | None, int | None, int, str]]:
    return [(q.low, q.high, q.best, q.qualifier) for q in find_quantities(normalize(text)[0])]


def figures(text: str) -> list[FigureMention]:
    return find_figures(normalize(text)[0])


def brief(text: str) -> list[tuple[str, int, str, str]]:
    """(kind, best, qualifier, group) of each figure, in text order."""
    return [(f.kind, f.best, f.qualifier, f.group) for f in figures(text)]


# ----------------------------------------------------------------------------- the SPEC numbers table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل 40 شخصا", (40, 40, 40, "exact")),
        ("سقوط 43 قتيلاً", (43, 43, 43, "exact")),
        ("قتل نحو 40 جنديا", (40, 40, 40, "approx")),
        ("قتل حوالي 40 جنديا", (40, 40, 40, "approx")),
        ("قتل قرابة 40 جنديا", (40, 40, 40, "approx")),
        ("قتل زهاء 40 جنديا", (40, 40, 40, "approx")),
        ("قتل ما يقارب 40 جنديا", (40, 40, 40, "approx")),
        ("قتل بين 20 و30 شخصا", (20, 30, 20, "approx")),
        ("قتل من 20 إلى 30 شخصا", (20, 30, 20, "approx")),
        ("قتل أكثر من 20 شخصا", (20, None, 20, "at_least")),
        ("قتل ما لا يقل عن 20 شخصا", (20, None, 20, "at_least")),
        ("قتل 20 شخصا على الأقل", (20, None, 20, "at_least")),
        ("قتل ما يزيد عن 20 شخصا", (20, None, 20, "at_least")),
        ("قتل أقل من 20 شخصا", (None, 20, 20, "at_most")),
        ("قتل ما يصل إلى 20 شخصا", (None, 20, 20, "at_most")),
        ("قتل حتى 20 شخصا", (None, 20, 20, "at_most")),
        ("مقتل عدد من المدنيين", (2, 9, 3, "vague")),
        ("مقتل بعض المدنيين", (2, 9, 3, "vague")),
        ("مقتل عدة مدنيين", (2, 9, 3, "vague")),
        ("مقتل بضعة مدنيين", (3, 9, 3, "vague")),
        ("مقتل عشرات المدنيين", (10, 99, 12, "vague")),
        ("مقتل مئات المدنيين", (100, 999, 100, "vague")),
        ("نزوح آلاف المدنيين", (1000, 9999, 1000, "vague")),
        ("نزوح عشرات الآلاف من المدنيين", (10000, 99999, 10000, "vague")),
        ("نزوح مئات الآلاف من المدنيين", (100000, 999999, 100000, "vague")),
        ("موقعةً قتلى من الطرفين", (1, None, 3, "unquantified")),
    ],
)
def test_numbers_table_rows(text: str, expected: tuple) -> None:
    assert expected in quantities(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ثلاثة", 3), ("أربعين", 40), ("ثمانين ألف", 80000), ("مئتين وخمسين", 250), ("مليون", 1000000),
        ("80 ألف", 80000), ("1.5 مليون", 1500000), ("1,200", 1200), ("خمسة عشر", 15), ("خمسة وعشرين", 25),
        ("ثلاثة آلاف", 3000), ("ثلاثمائة", 300), ("ثلاث مئة", 300), ("أحد عشر", 11), ("٤٠", 40),
        ("١٢٠٠", 1200), ("ألفين", 2000),
    ],
)
def test_number_words_and_digits(text: str, value: int) -> None:
    got = quantities(f"قتل {text} شخص")
    assert got and got[0][2] == value


def test_quantity_offsets_are_normalised_offsets() -> None:
    norm = normalize("قُتل نحو 40 جندياً")[0]
    q = find_quantities(norm)[0]
    assert isinstance(q, Quantity)
    assert norm[q.start:q.end] == "نحو 40"


@pytest.mark.parametrize(("text", "group"), [("قتل جنديين", "soldiers"), ("سقط قتيلان", "unknown"),
                                             ("أصيب شخصين", "unknown"), ("قتل مدنيان", "civilians")])
def test_duals_count_two(text: str, group: str) -> None:
    figs = figures(text)
    assert [(f.best, f.qualifier) for f in figs] == [(2, "exact")]
    assert figs[0].group == group


def test_ordinals_and_weekday_are_not_counts() -> None:
    assert quantities("في اليوم الثالث من الهجوم يوم الاثنين") == []


# ------------------------------------------------------------------------------------------- figures


def test_passive_active_and_nominal_kinds() -> None:
    assert brief("قُتل نحو 40 جندياً في جيش النظام السوري") == [("killed", 40, "approx", "soldiers")]
    assert brief("الغارات قتلت العشرات") == [("killed", 12, "vague", "unknown")]
    assert brief("أكدت روسيا مقتل 50 متشدداً وإصابة 90 آخرين بجروح") == [
        ("killed", 50, "exact", "militants"), ("injured", 90, "exact", "militants")]


def test_others_inherit_the_group_and_take_their_own_verb() -> None:
    assert brief("قُتل نحو 40 جندياً، بينما جُرِح 80 آخرون في الهجمات") == [
        ("killed", 40, "approx", "soldiers"), ("injured", 80, "exact", "soldiers")]


def test_victims_before_the_verb() -> None:
    assert brief("وأشار الجيش إلى أن سبعة جنود قتلوا وأصيب خمسة آخرون") == [
        ("killed", 7, "exact", "soldiers"), ("injured", 5, "exact", "soldiers")]


def test_subset_figure_among_them() -> None:
    got = brief("إن ستة عناصر من الجماعة بينهم امرأة قتلوا")
    assert ("killed", 6, "exact", "militants") in got
    assert ("killed", 1, "exact", "women") in got


def test_casualties_and_unquantified() -> None:
    assert brief("أعلنت المنظمة عن مقتل وإصابة 106 من عناصرها") == [("casualties", 106, "exact", "militants")]
    assert brief("وكان 56 شخصا سقطوا بين قتيل وجريح") == [("casualties", 56, "exact", "unknown")]
    assert sorted(brief("قصف أسفر عن سقوط قتلى وجرحى")) == [
        ("injured", 3, "unquantified", "unknown"), ("killed", 3, "unquantified", "unknown")]


def test_displaced_and_combatants() -> None:
    assert brief("مشيراً إلى نزوح 80 ألف شخص بسبب القصف") == [("displaced", 80000, "exact", "civilians")]
    assert brief("وأوضح الجيش أن نحو 200 متشدد، حسب وصفه، شنوا الهجوم") == [
        ("combatants", 200, "approx", "militants")]


def test_arrests_and_eastern_digits() -> None:
    assert brief("وتمكنت الشرطة من القبض على ١٣ عنصرا") == [("arrested", 13, "exact", "militants")]


def test_victim_side_and_trigger_spans() -> None:
    norm = normalize("قُتل نحو 40 جندياً في جيش النظام السوري")[0]
    (fig,) = find_figures(norm)
    assert norm[fig.victim_text_start:fig.victim_text_end] == "في جيش النظام السوري"
    assert norm[fig.trigger_start:fig.trigger_end] == "قتل"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("قتل الجنود في عام 2016", 2016),
        ("قتل رجل عمره 45 عاما", 45),
        ("قتل جنود من اللواء 135", 135),
        ("قتل جندي بعد أن سقطت 5 صواريخ على 3 قرى", 5),
        ("قتل جندي بعد أن سقطت 5 صواريخ على 3 قرى", 3),
        ("قتل جندي وبلغت الخسائر 20 مليون دولار", 20000000),
        ("قتل جندي وارتفعت نسبة الضحايا 30 %", 30),
        ("قتل في 15/3/2020 جندي", 15),
        ("قتل جندي واستمر القتال 10 أيام", 10),
        ("قتل جندي في الساعة 10 مساء", 10),
        ("مقتل جندي في قصف على 4 منازل", 4),
        ("قتل 3 مدنيين من عائلة واحدة", 1),
        ("اتصلوا على الرقم 0991234567 بعد مقتل جندي", 991234567),
    ],
)
def test_numbers_that_are_not_figures(text: str, number: int) -> None:
    assert number not in [f.best for f in figures(text)]


def test_negated_deaths_are_not_figures() -> None:
    assert figures("لم يسقط قتلى من المدنيين") == []
    assert figures("وقع انفجار دون أنباء عن إصابات") == []


# ------------------------------------------------------------------------------- real dev articles


def _gold_doc(dev_gold: list[dict], doc_id_part: str) -> dict:
    for doc in dev_gold:
        if doc_id_part in doc["doc_id"]:
            return doc
    pytest.skip(f"{doc_id_part} not in gold")


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("idlib-2020", [("killed", 40), ("injured", 80), ("killed", 50), ("injured", 90), ("combatants", 200),
                        ("displaced", 80000), ("killed", 12)]),
        ("27fb4476", [("killed", 125), ("killed", 43), ("killed", 43), ("killed", 39)]),
        ("5d88d14c", [("killed", 125), ("killed", 13), ("killed", 11), ("killed", 54), ("killed", 45),
                      ("killed", 9), ("killed", 6)]),
        ("2015-07-22:1745", [("killed", 7), ("injured", 5), ("killed", 14)]),
    ],
)
def test_key_figures_of_real_articles(dev_gold, doc_id: str, expected: list[tuple[str, int]]) -> None:
    doc = _gold_doc(dev_gold, doc_id)
    got = [(f.kind, f.best) for f in figures(doc["text"])]
    for item in expected:
        assert item in got


def test_singular_nouns_count_one_next_to_a_kind_word() -> None:
    assert brief("أفادت الوكالة بمقتل شخص واصابة سبعة اخرين") == [
        ("killed", 1, "exact", "unknown"), ("injured", 7, "exact", "unknown")]
    assert brief("قالت المصادر إن جنديا قتل وأصيب خمسة آخرون") == [
        ("killed", 1, "exact", "soldiers"), ("injured", 5, "exact", "soldiers")]


def test_one_count_per_place_with_each_of() -> None:
    got = brief("سقط 19 قتيلاً في حلب، وقتيل في كل من الرقة وحماه وحمص")
    assert got.count(("killed", 1, "exact", "unknown")) == 3


def test_list_continues_the_kind() -> None:
    got = brief("بينهم 54 قتيلاً في حلب، و45 في دمشق وريفها، وستة في حمص")
    assert [(k, b) for k, b, _, _ in got] == [("killed", 54), ("killed", 45), ("killed", 6)]


def test_words_that_look_like_kind_words() -> None:
    assert figures("انضم الفتى إلى الشيعة المتمردين") == []  # شيعة (Shia) is not شيّع (buried)
    assert figures("دفعت تعويضات كبيرة لضحايا لوكربي") == []  # victims as a category, not a toll
    assert figures("نظمت الجمعية لقاء في جو أسري واحد") == []  # أسري (family) is not أسرى (prisoners)


def test_fractions_of_millions_and_releases() -> None:
    assert brief("نزوح أكثر من نصف مليون لاجئ") == [("displaced", 500000, "at_least", "civilians")]
    assert brief("أطلقت السلطات سراح 50 معتقلا") == []  # a release is not an arrest


def test_militia_named_as_victims_side() -> None:
    assert brief("وأكدت المصادر مقتل 7 من المقاومة الشعبية") == [("killed", 7, "exact", "militia")]
