"""Cross-document clusters: reports of one event by several outlets become one record, others stay apart."""

from __future__ import annotations

import random

from conftest import DEV_ARTICLES, need

from rasd.cluster import cluster_events, cluster_id

# Places (lat, lon) for hand-made events: two towns of one governorate ~20 km apart, another governorate.
PLACES = {
    "Saraqib": ("SY", "Idlib", "Saraqib", 35.8647, 36.8006, 1),
    "Saraqib-near": ("SY", "Idlib", "Saraqib", 35.8700, 36.8100, 2),
    "Maarat": ("SY", "Idlib", "Maarrat al-Nu'man", 35.6433, 36.6728, 1),
    "Idlib-gov": ("SY", "Idlib", None, 35.9306, 36.6339, 3),
    "Aleppo-gov": ("SY", "Aleppo", None, 36.2037, 37.1726, 3),
    "Syria": ("SY", None, None, 34.8, 38.99, 3),
}
EVIDENCE = "غارات جوية روسية على مدينة سراقب في ريف إدلب الشرقي أسفرت عن مقتل مدنيين وتدمير منازل"


def make_doc(doc_id: str, outlet: str, events: list[dict], sources: list[dict] | None = None,
             published: str = "2020-01-16") -> dict:
    """A minimal rasd.document/1 dict; events are given by the fields a test cares about."""
    srcs = [{"id": "S1", "name": outlet, "name_ar": None, "party": None, "kind": "outlet", "mentions": []}]
    srcs += sources or []
    evs = []
    for n, e in enumerate(events, 1):
        country, admin1, admin2, lat, lon, prec = PLACES[e.get("place", "Saraqib")]
        name = e.get("place", "Saraqib").split("-")[0] if prec < 3 or admin1 is None else admin1
        day = e.get("date", "2020-01-15")
        claims = e.get("claims", [])
        evs.append({
            "id": f"E{n}", "event_type": e.get("type", "Explosions/Remote violence"),
            "sub_event_type": e.get("sub", "Air/drone strike"),
            "date": {"start": day, "end": day, "time_precision": 1, "date_prec": 1, "text": "أمس", "span": [0, 3]},
            "location": {"name": name, "name_ar": None, "gazetteer_id": None, "country": country, "admin1": admin1,
                         "admin2": admin2, "admin3": None, "lat": lat, "lon": lon, "geo_precision": prec,
                         "where_prec": {1: 1, 2: 2, 3: 4}[prec] if admin1 else 6, "text": name, "span": [0, 1]},
            "actors": [{"role": role, "id": aid, "name": aid, "name_ar": None, "inter": inter, "country": None,
                        "text": aid, "span": [0, 1]} for role, aid, inter in e.get("actors", [])],
            "civilian_targeting": e.get("civilian_targeting", False), "weapons": [],
            "claims": claims,
            "fatalities": e.get("fatalities", {"low": 0, "best": 0, "high": 0}),
            "contested": False,
            "evidence": [{"text": e.get("evidence", EVIDENCE), "span": [0, 10]}],
            "confidence": 0.9,
        })
    return {"schema": "rasd.document/1",
            "doc": {"id": doc_id, "outlet": outlet, "url": None, "title": f"title {doc_id}", "published": published,
                    "chars": 100},
            "sources": srcs, "events": evs, "warnings": []}


def killed(source: str, best: int, group: str = "unknown", stance: str = "asserts", low: int | None = None,
           high: int | None = None, qualifier: str = "exact") -> dict:
    figures = [] if stance == "denies" else [{
        "kind": "killed", "low": best if low is None else low, "high": best if high is None else high, "best": best,
        "qualifier": qualifier, "group": group, "actor": None, "text": str(best), "span": [0, 1]}]
    return {"source": source, "stance": stance, "text": "قال", "span": [0, 3], "figures": figures}


MOD = {"id": "S2", "name": "Russian Ministry of Defence", "name_ar": "وزارة الدفاع الروسية", "party": "RUS",
       "kind": "government", "mentions": []}
SOHR = {"id": "S2", "name": "Syrian Observatory for Human Rights", "name_ar": "المرصد السوري", "party": "SOHR",
        "kind": "monitor", "mentions": []}


def by_member(clusters: list[dict]) -> dict[str, dict]:
    return {uid: c for c in clusters for uid in c["members"]}


def test_same_event_two_outlets_is_one_cluster():
    docs = [make_doc("a", "BBC Arabic", [{}]), make_doc("b", "CNN Arabic", [{"place": "Saraqib-near"}])]
    clusters = cluster_events(docs)
    assert len(clusters) == 1
    c = clusters[0]
    assert c["members"] == ["a#E1", "b#E1"]
    assert c["documents"] == ["a", "b"]
    assert c["outlets"] == ["BBC Arabic", "CNN Arabic"]
    assert c["location"] == "Saraqib" and c["geo_precision"] == 1  # the more precise report's place
    assert c["date"]["start"] == "2020-01-15"


def test_different_towns_days_types_stay_apart():
    docs = [
        make_doc("a", "BBC Arabic", [{}]),
        make_doc("b", "CNN Arabic", [{"place": "Maarat"}]),                         # ~27 km away
        make_doc("c", "Al Jazeera", [{"date": "2020-01-12"}]),                      # three days earlier
        make_doc("d", "Asharq", [{"type": "Protests", "sub": "Peaceful protest"}]),  # another family
    ]
    clusters = cluster_events(docs)
    assert len(clusters) == 4
    assert all(len(c["members"]) == 1 for c in clusters)


def test_one_day_apart_and_clash_vs_shelling_merge():
    docs = [make_doc("a", "BBC Arabic", [{"type": "Battles", "sub": "Armed clash"}]),
            make_doc("b", "CNN Arabic", [{"date": "2020-01-16"}])]
    clusters = cluster_events(docs)
    assert len(clusters) == 1
    assert clusters[0]["date"] == {"start": "2020-01-15", "end": "2020-01-16", "time_precision": 1, "date_prec": 2}


def test_coarse_place_joins_town_of_same_governorate_only():
    docs = [make_doc("a", "BBC Arabic", [{}]),
            make_doc("b", "CNN Arabic", [{"place": "Idlib-gov"}]),
            make_doc("c", "Al Jazeera", [{"place": "Aleppo-gov"}])]
    clusters = by_member(cluster_events(docs))
    assert clusters["a#E1"] is clusters["b#E1"]
    assert clusters["c#E1"] is not clusters["a#E1"]
    assert clusters["a#E1"]["location"] == "Saraqib"


def test_country_level_place_stays_alone():
    docs = [make_doc("a", "BBC Arabic", [{"place": "Syria"}]), make_doc("b", "CNN Arabic", [{"place": "Syria"}])]
    assert len(cluster_events(docs)) == 2


def test_conflicting_attackers_and_exclusive_tolls_stay_apart():
    docs = [
        make_doc("a", "BBC Arabic", [{"actors": [("actor1", "RUS-MIL", 8)]}]),
        make_doc("b", "CNN Arabic", [{"actors": [("actor1", "TUR-MIL", 8)]}]),
    ]
    assert len(cluster_events(docs)) == 2
    docs = [
        make_doc("a", "BBC Arabic", [{"claims": [killed("S1", 2)], "fatalities": {"low": 2, "best": 2, "high": 2}}]),
        make_doc("b", "CNN Arabic", [{"claims": [killed("S1", 40)], "fatalities": {"low": 40, "best": 40, "high": 40}}]),
    ]
    assert len(cluster_events(docs)) == 2
    # 40 vs 50: the same strike, told differently
    docs[1]["events"][0]["fatalities"] = {"low": 50, "best": 50, "high": 50}
    docs[0]["events"][0]["fatalities"] = {"low": 40, "best": 40, "high": 40}
    assert len(cluster_events(docs)) == 1


def test_unrelated_stories_naming_the_same_town_stay_apart():
    other = "وزير الاقتصاد يفتتح معرضا تجاريا جديدا للمنتجات الزراعية ويعلن خطة لدعم المزارعين"
    docs = [make_doc("a", "BBC Arabic", [{}]), make_doc("b", "CNN Arabic", [{"evidence": other}])]
    assert len(cluster_events(docs)) == 2


def test_every_event_in_exactly_one_cluster_and_one_document_never_merges_with_itself():
    docs = [make_doc("a", "BBC Arabic", [{}, {"place": "Saraqib-near"}, {"place": "Maarat"}]),
            make_doc("b", "CNN Arabic", [{}])]
    clusters = cluster_events(docs)
    members = [uid for c in clusters for uid in c["members"]]
    assert sorted(members) == ["a#E1", "a#E2", "a#E3", "b#E1"]
    for c in clusters:
        assert len({m.split("#")[0] for m in c["members"]}) == len(c["members"])


def test_ids_are_stable_and_independent_of_input_order():
    docs = [make_doc(f"d{i}", f"outlet{i % 3}", [{"place": p}]) for i, p in
            enumerate(["Saraqib", "Saraqib-near", "Maarat", "Idlib-gov", "Aleppo-gov", "Maarat"])]
    first = cluster_events(docs)
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    second = cluster_events(shuffled)
    assert [(c["id"], c["members"]) for c in first] == [(c["id"], c["members"]) for c in second]
    for c in first:
        assert c["id"] == cluster_id(reversed(c["members"]))


def test_fatalities_reconciled_across_outlets_with_denial():
    """SPEC section 4 across documents: min best per group, low 0 on a denial, high = largest one-source total."""
    a = make_doc("a", "RT Arabic", [{"claims": [killed("S2", 40, "soldiers"), killed("S2", 50, "militants")],
                                     "fatalities": {"low": 90, "best": 90, "high": 90}}], sources=[MOD])
    b = make_doc("b", "BBC Arabic", [{"claims": [killed("S2", 0, stance="denies")],
                                      "fatalities": {"low": 0, "best": 0, "high": 0}}], sources=[SOHR])
    [c] = cluster_events([a, b])
    assert c["fatalities"] == {"low": 0, "best": 90, "high": 90}
    assert c["contested"] is True
    by_source = {cl["source_name"]: cl for cl in c["claims"]}
    assert by_source["Russian Ministry of Defence"]["outlet"] == "RT Arabic"
    assert by_source["Syrian Observatory for Human Rights"]["stance"] == "denies"
    assert by_source["Syrian Observatory for Human Rights"]["doc_id"] == "b"
    assert "Russian Ministry of Defence reported 40 soldiers and 50 militants killed" in c["disputes"]
    assert "Syrian Observatory for Human Rights denied the event" in c["disputes"]


def test_disagreeing_outlets_give_conservative_best_and_contested():
    a = make_doc("a", "BBC Arabic", [{"claims": [killed("S2", 12, "civilians")],
                                      "fatalities": {"low": 12, "best": 12, "high": 12}}], sources=[SOHR])
    b = make_doc("b", "CNN Arabic", [{"claims": [killed("S1", 30, "civilians")],
                                      "fatalities": {"low": 30, "best": 30, "high": 30}}])
    c_agree = make_doc("c", "Al Jazeera", [{"claims": [killed("S1", 12, "civilians", low=10, high=15,
                                                              qualifier="approx")],
                                            "fatalities": {"low": 10, "best": 12, "high": 15}}])
    [c] = cluster_events([a, b])
    assert c["fatalities"] == {"low": 12, "best": 12, "high": 30}
    assert c["contested"] is True
    [c] = cluster_events([a, c_agree])
    assert c["fatalities"] == {"low": 10, "best": 12, "high": 15}
    assert c["contested"] is False


def test_real_articles_cluster_without_losing_events(dev_articles):
    """On extracted dev articles every event lands in exactly one cluster."""
    import rasd

    need(DEV_ARTICLES)
    docs = []
    for rec in list(dev_articles.values())[:25]:
        doc = rasd.extract(rec["text"], published=rec.get("published"), outlet=rec.get("outlet"), doc_id=rec["id"])
        docs.append(doc.model_dump(mode="json", by_alias=True))
    clusters = cluster_events(docs)
    uids = sorted(f"{d['doc']['id']}#{e['id']}" for d in docs for e in d["events"])
    assert sorted(u for c in clusters for u in c["members"]) == uids
    assert len({c["id"] for c in clusters}) == len(clusters)
