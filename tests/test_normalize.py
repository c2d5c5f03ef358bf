from hypothesis import given
from hypothesis import strategies as st

from rasd.text.normalize import normalize, normalize_key


def test_alef_hamza_yaa_taa_marbuta_forms_fold():
    assert normalize_key("إدلب") == normalize_key("ادلب")
    assert normalize_key("أُسامة") == "اسامه"
    assert normalize_key("مستشفى") == "مستشفي"
    assert normalize_key("مسؤول") == "مسوول"


def test_diacritics_tatweel_and_bidi_marks_are_dropped_with_offsets_kept():
    text = "قُتِلَ\u200f  الـــجنود"
    norm, starts, ends = normalize(text)
    assert norm == "قتل  الجنود"
    j = norm.index("الجنود")
    assert text[starts[j]:ends[j + len("الجنود") - 1]] == "الـــجنود"


def test_eastern_digits_become_western():
    assert normalize_key("قتل ٤٠ جندياً") == "قتل 40 جنديا"
    assert normalize_key("۱۲۳") == "123"


def test_html_entities_decode_to_one_character_spanning_the_entity():
    text = "قال &quot;المرصد&quot; إن"
    norm, starts, ends = normalize(text)
    assert norm.startswith('قال "المرصد"')
    q = norm.index('"')
    assert text[starts[q]:ends[q]] == "&quot;"


def test_presentation_forms_fold():
    assert normalize_key("\ufe8d\ufedf") == "ال"


@given(st.text(alphabet=st.sampled_from(list("إأآابتةىيؤئءَُِّـ٠١٢ &quot;;\u200f abc")), max_size=60))
def test_offset_map_is_monotonic_and_in_bounds(text):
    norm, starts, ends = normalize(text)
    assert len(norm) == len(starts) == len(ends)
    assert all(0 <= a < b <= len(text) for a, b in zip(starts, ends, strict=True))
    assert starts == sorted(starts)


@given(st.text(alphabet=st.sampled_from(list("إأآٱابتةىيؤئءَُِّـ٠١٢۳٫٬ \u00a0\t“”‘’&;\u200f\ufe8d\ufedfAbZz.,")), max_size=80))
def test_whole_text_equals_character_by_character_folding(text):
    # the fast path (runs mapped whole) must give exactly what folding each character alone gives
    from rasd.text.normalize import _fold_char

    norm, starts, ends = normalize(text)
    assert norm == "".join(_fold_char(c) for c in text)
    assert all(text[a:b] for a, b in zip(starts, ends, strict=True))
