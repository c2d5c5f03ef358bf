from rasd.text.matcher import PhraseMatcher, strip_clitics
from rasd.text.normalize import normalize_key


def _find(matcher, text):
    norm = normalize_key(text)
    return [(norm[m.start:m.end], m.payloads[0]) for m in matcher.find(norm)]


def test_proclitics_and_article_are_accepted():
    m = PhraseMatcher([("إدلب", "IDLIB"), ("الجيش السوري", "SYR"), ("جبل الزاوية", "JZ")])
    assert _find(m, "بمدينة إدلب") == [("ادلب", "IDLIB")]
    assert _find(m, "والجيش السوري") == [("الجيش السوري", "SYR")]
    assert _find(m, "للجيش السوري")[0][1] == "SYR"
    assert _find(m, "لجبل الزاوية")[0][1] == "JZ"


def test_no_match_inside_a_longer_word():
    m = PhraseMatcher([("حلب", "ALEPPO")])
    assert _find(m, "محلبية") == []
    assert _find(m, "حلبي") == []


def test_suffixes_only_when_allowed():
    verbs = PhraseMatcher([("قتل", "K")], suffixes=["وا"])
    assert _find(verbs, "وقتلوا") == [("قتل", "K")]
    assert _find(verbs, "قتلهم") == []


def test_longest_match_wins():
    m = PhraseMatcher([("المرصد السوري لحقوق الإنسان", "SOHR"), ("السوري", "SY")])
    assert _find(m, "أفاد المرصد السوري لحقوق الإنسان") == [("المرصد السوري لحقوق الانسان", "SOHR")]


def test_strip_clitics():
    assert strip_clitics("وبالمدينة") == "مدينة"
    assert strip_clitics("للجيش") == "جيش"
    assert strip_clitics("ولد") == "ولد"
