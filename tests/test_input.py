import pytest

from rasd.text.input import InputError, clean_input, decode_bytes

ARABIC = "قتل خمسة مدنيين في قصف على بلدة في ريف إدلب صباح اليوم"


def test_cp1256_bytes_are_decoded():
    text, notes = decode_bytes(ARABIC.encode("cp1256"))
    assert text == ARABIC
    assert any("1256" in n for n in notes)


def test_utf8_bom_is_removed():
    assert decode_bytes(b"\xef\xbb\xbf" + ARABIC.encode())[0] == ARABIC


def test_empty_and_non_arabic_input_are_refused_with_a_reason():
    with pytest.raises(InputError, match="empty"):
        clean_input("   \n ")
    with pytest.raises(InputError, match="not Arabic"):
        clean_input("This is an English sentence about nothing in particular at all.")


def test_html_page_becomes_visible_text():
    page = f"<html><head><script>var x=1;</script></head><body><div>{ARABIC}</div><p>فقرة ثانية</p></body></html>"
    text, notes = clean_input(page)
    assert ARABIC in text and "var x" not in text
    assert notes
