from rasd.document import Document
from rasd.text.segment import split_sentences


def test_sentences_split_on_arabic_and_latin_stops_not_decimals():
    text = "قتل 3.5 شخص. هل انتهى؟ نعم!\nسطر جديد"
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans] == ["قتل 3.5 شخص.", "هل انتهى؟", "نعم!", "سطر جديد"]


def test_clauses_split_on_arabic_comma_and_semicolon():
    doc = Document("قال المرصد، اليوم؛ إن 5 قتلوا")
    assert [doc.norm[c.start:c.end] for c in doc.clauses[0]] == ["قال المرصد", "اليوم", "ان 5 قتلوا"]


def test_document_spans_point_into_the_original_text():
    text = "أعلنت الوزارةُ ، مقتل ٤٠ جندياً"
    doc = Document(text)
    i = doc.norm.index("40")
    a, b = doc.span(i, i + 2)
    assert text[a:b] == "٤٠"
    j = doc.norm.index("الوزاره")
    assert doc.original(j, j + len("الوزاره")) == "الوزارةُ"[:-1] or doc.original(j, j + 7).startswith("الوزارة")


def test_a_wrapped_short_line_does_not_end_the_sentence_but_a_paragraph_does():
    text = "اتهم النظام المعارضة باستخدام\nمواد كيماوية\nفي هجوم بريف حلب.\n\nفقرة جديدة هنا"
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans] == [
        "اتهم النظام المعارضة باستخدام\nمواد كيماوية\nفي هجوم بريف حلب.", "فقرة جديدة هنا"]
    lines = "عنوان قصير دون نقطة.\nالسطر الثاني جملة كاملة"
    assert len(split_sentences(lines)) == 2


def test_agency_initials_do_not_end_a_sentence():
    text = "وقالت مصادر محلية لوكالة الأنباء الألمانية (د.ب.أ) إن الغارات استمرت. جملة ثانية"
    assert len(split_sentences(text)) == 2
