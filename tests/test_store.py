"""The DuckDB store: idempotent writes, the filters the web app uses, clusters, stats and raw SQL."""

from __future__ import annotations

import duckdb
import pytest

import rasd
from rasd.store import Store, content_hash

DOCS = [
    ("a1", "2020-01-16", "وكالة أ",
     "قتل خمسة مدنيين وأصيب عشرة آخرون في غارة جوية استهدفت مدينة إدلب يوم الخميس، بحسب المرصد السوري لحقوق "
     "الإنسان. ونفت وزارة الدفاع الروسية تنفيذ أي غارات على المدينة."),
    ("a2", "2020-01-16", "وكالة ب",
     "قالت وزارة الصحة إن سبعة أشخاص قتلوا في غارة جوية على إدلب أمس الخميس، فيما أصيب آخرون بجروح."),
    ("a3", "2015-07-02", "صحيفة ج",
     "اندلعت اشتباكات عنيفة بين الجيش اليمني ومسلحين في مدينة تعز اليوم، وأسفرت عن مقتل ثلاثة جنود، وفق مصدر "
     "عسكري."),
    ("a4", "2013-03-23", "صحيفة د",
     "تظاهر مئات المحتجين في وسط بغداد اليوم السبت للمطالبة بالإفراج عن المعتقلين، وتدخلت قوات الأمن لتفريقهم."),
]
ERROR = {"schema": "rasd.document/1", "doc": {"id": "bad1", "chars": 0}, "error": "not Arabic: fewer than 20",
         "stage": "extract"}


def _results():
    return [rasd.extract(t, published=p, outlet=o, doc_id=i).model_dump(mode="json", by_alias=True)
            for i, p, o, t in DOCS]


@pytest.fixture(scope="module")
def results():
    return _results()


@pytest.fixture()
def store(tmp_path, results):
    s = Store(tmp_path / "s.duckdb")
    s.add_documents(results + [ERROR], {i: t for i, _, _, t in DOCS})
    yield s
    s.close()


def test_documents_are_stored_once_per_id_and_content(store, results):
    assert store.stats()["documents"] == 5
    assert store.add_documents(results, {i: t for i, _, _, t in DOCS}) == 0
    assert store.stats()["events"] == 4 and store.stats()["documents"] == 5
    assert store.has("a1", content_hash(DOCS[0][3])) and not store.has("a1", content_hash("other"))


def test_a_changed_text_replaces_every_row_of_that_document(store):
    i, p, o, t = DOCS[2]
    new = t.replace("ثلاثة جنود", "أربعة جنود")
    changed = rasd.extract(new, published=p, outlet=o, doc_id=i).model_dump(mode="json", by_alias=True)
    assert store.add_documents([changed], {i: new}) == 1
    [ev] = store.events(country="YE")
    assert ev["fatalities"]["best"] == 4 and store.stats()["events"] == 4
    assert store.query("SELECT count(*) FROM claims WHERE doc_id = 'a3'")[1][0][0] == len(ev["claims"])


def test_event_filters(store):
    assert {e["doc_id"] for e in store.events(country="sy")} == {"a1", "a2"}
    assert [e["doc_id"] for e in store.events(event_type="Armed clash")] == ["a3"]
    assert [e["doc_id"] for e in store.events(contested=True)] == ["a1"]
    assert {e["doc_id"] for e in store.events(date_from="2015-01-01")} == {"a1", "a2", "a3"}
    assert [e["doc_id"] for e in store.events(date_to="2014-01-01")] == ["a4"]
    assert [e["doc_id"] for e in store.events(bbox=(43, 32, 46, 35))] == ["a4"]  # west, south, east, north
    assert [e["doc_id"] for e in store.events(actor="YEM-MIL")] == ["a3"]
    assert [e["doc_id"] for e in store.events(source="وكالة ب")] == ["a2"]
    assert len(store.events(limit=2)) == 2 and len(store.events(limit=2, offset=3)) == 1
    assert store.count_events(country="SY") == 2
    newest = store.events()[0]
    assert newest["uid"] == f"{newest['doc_id']}#E1" and newest["doc"]["published"] == "2020-01-16"


def test_event_and_document_lookups(store):
    ev = store.event("a1#E1")
    assert ev["event_type"] == "Explosions/Remote violence" and ev["doc"]["outlet"] == "وكالة أ"
    assert any(c["source_name"] for c in ev["claims"])
    doc = store.document("a1")
    assert doc["schema"] == "rasd.document/1" and doc["text"] == DOCS[0][3]
    s, e = doc["events"][0]["location"]["span"]
    assert doc["text"][s:e] == doc["events"][0]["location"]["text"]  # offsets index the stored text
    assert store.event("nope#E1") is None and store.document("nope") is None
    assert store.document("bad1")["error"].startswith("not Arabic")


def test_clusters_and_members_with_claims(store):
    assert store.events(country="SY")[0]["cluster_id"] is None
    store.set_clusters([
        {"id": "c1", "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
         "date": {"start": "2020-01-16", "end": "2020-01-16"}, "country": "SY", "admin1": "Idlib",
         "location": "Idlib", "lat": 35.9, "lon": 36.6, "members": ["a1#E1", "a2#E1"],
         "outlets": ["وكالة أ", "وكالة ب"], "fatalities": {"low": 5, "best": 7, "high": 7}, "contested": True,
         "claims": []},
        {"id": "c2", "event_type": "Battles", "date": "2015-07-02", "country": "YE", "members": ["a3#E1"],
         "outlets": ["صحيفة ج"], "fatalities": {"low": 3, "best": 3, "high": 3}, "contested": False},
    ])
    assert [c["id"] for c in store.clusters()] == ["c1", "c2"]
    assert [c["id"] for c in store.clusters(country="YE")] == ["c2"]
    assert store.event("a2#E1")["cluster_id"] == "c1"
    c1 = store.cluster("c1")
    assert c1["members"] == ["a1#E1", "a2#E1"] and c1["fatalities"]["best"] == 7
    assert [m["uid"] for m in c1["member_events"]] == ["a1#E1", "a2#E1"]
    assert all(m["claims"] for m in c1["member_events"])
    assert store.stats()["clusters"] == 2
    store.set_clusters([])
    assert store.clusters() == [] and store.cluster("c1") is None


def test_stats_query_and_clustering_input(store):
    st = store.stats()
    assert st["by_country"] == {"SY": 2, "IQ": 1, "YE": 1}
    assert st["by_month"]["2020-01"] == 2 and st["errors"] == 1 and st["errors_by_stage"] == {"extract": 1}
    assert st["contested_share"] == 0.25
    cols, rows = store.query("SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1")
    assert cols == ["event_type", "n"] and ("Battles", 1) in rows
    assert sorted(d["doc"]["id"] for d in store.all_event_docs()) == ["a1", "a2", "a3", "a4"]


def test_read_only_store_refuses_writes(tmp_path, results):
    path = tmp_path / "ro.duckdb"
    with pytest.raises(FileNotFoundError):
        Store(path, read_only=True)
    with Store(path) as s:
        s.add_documents(results[:1])
    with Store(path, read_only=True) as ro:
        assert ro.stats()["documents"] == 1
        with pytest.raises(duckdb.Error):
            ro.query("DELETE FROM documents")


def test_in_memory_store(results):
    with Store(":memory:") as s:
        assert s.add_documents(results) == 4 and s.stats()["events"] == 4


def test_a_result_that_cannot_be_stored_becomes_an_error_not_a_failed_run(tmp_path, results):
    import copy

    huge = copy.deepcopy(results[0])
    huge["events"][0]["fatalities"]["best"] = 10**22  # beyond BIGINT
    with Store(tmp_path / "s.duckdb") as s:
        assert s.add_documents([huge] + results[1:]) == 4
        assert s.stats()["events"] == 3 and s.stats()["errors_by_stage"] == {"store": 1}
        assert "cannot store the result" in s.document("a1")["error"]
        results_big = copy.deepcopy(results[1])
        results_big["events"][0]["fatalities"]["best"] = 2_681_000_000  # beyond INTEGER, fits BIGINT
        results_big["doc"]["id"] = "big"
        assert s.add_documents([results_big]) == 1 and s.event("big#E1")["fatalities"]["best"] == 2_681_000_000
