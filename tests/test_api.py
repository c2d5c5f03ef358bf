"""The HTTP API: extraction with its input errors, the store endpoints (filters, paging, 503 without a
store), exports, and the page's assets being offline. Articles here are written for the tests."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from urllib.parse import quote

import pytest

fastapi = pytest.importorskip("fastapi", reason="fastapi not installed (pip install -e '.[dev]')")
with warnings.catch_warnings():  # starlette's notice about httpx's successor, not about rasd
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from rasd.web import create_app  # noqa: E402
from rasd.web.app import STATIC  # noqa: E402

STRIKE = ("أعلنت وزارة الدفاع الروسية، اليوم الخميس، مقتل 12 مسلحاً في غارات جوية على مدينة إدلب شمال غرب سوريا. "
          "ونفى المرصد السوري لحقوق الإنسان وقوع الغارات على مدينة إدلب.")
STRIKE_2 = "ذكرت وكالة سانا أن غارات جوية استهدفت مدينة إدلب اليوم الخميس وأسفرت عن مقتل 10 مسلحين."
CLASH = ("قال المرصد السوري لحقوق الإنسان إن اشتباكات عنيفة دارت أمس في مدينة حلب بين قوات النظام وفصائل المعارضة، "
         "ما أدى إلى مقتل 7 عناصر من قوات النظام.")
ARTICLES = [
    {"id": "t-strike", "text": STRIKE, "published": "2020-01-16", "outlet": "Outlet A", "title": "غارات على إدلب"},
    {"id": "t-strike-2", "text": STRIKE_2, "published": "2020-01-16", "outlet": "Outlet B"},
    {"id": "t-clash", "text": CLASH, "published": "2020-01-17", "outlet": "Outlet A"},
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def store_client(tmp_path_factory) -> TestClient:
    """A real corpus store (DuckDB in memory) holding the three test articles, clustered."""
    pytest.importorskip("duckdb", reason="duckdb not installed: the store endpoints cannot be tested")
    from rasd.web.loader import load_store

    path = tmp_path_factory.mktemp("api") / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    return TestClient(create_app(store=load_store([path])))


# -- extraction -------------------------------------------------------------------------------------

def test_extract_returns_a_document_with_its_metadata_and_evidence_offsets(client):
    r = client.post("/v1/extract", json={"text": STRIKE, "published": "2020-01-16", "outlet": "Outlet A",
                                         "id": "a1", "title": "T", "url": "https://example.org/a1"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == "rasd.document/1"
    assert doc["doc"] == {"id": "a1", "outlet": "Outlet A", "url": "https://example.org/a1", "title": "T",
                          "published": "2020-01-16", "chars": len(STRIKE)}
    ev = doc["events"][0]
    assert ev["location"]["name"] == "Idlib" and ev["date"]["start"] == "2020-01-16"
    s, e = ev["location"]["span"]
    assert STRIKE[s:e] == ev["location"]["text"]
    stances = {(src["name"], c["stance"]) for c in ev["claims"] for src in doc["sources"] if src["id"] == c["source"]}
    assert ("Syrian Observatory for Human Rights", "denies") in stances
    assert ev["contested"] is True


def test_extract_of_an_html_page_returns_the_text_its_offsets_index(client):
    page = f"<html><body><h1>عنوان</h1><p>{STRIKE}</p><script>var x = 1;</script></body></html>"
    r = client.post("/v1/extract?include_text=true", json={"text": page, "published": "2020-01-16"})
    assert r.status_code == 200
    doc = r.json()
    assert "<p>" not in doc["text"] and "var x" not in doc["text"]
    loc = doc["events"][0]["location"]
    assert doc["text"][loc["span"][0]:loc["span"][1]] == loc["text"]


@pytest.mark.parametrize(("body", "status", "reason"), [
    ({"text": ""}, 422, "empty"),
    ({"text": "   \n  "}, 422, "empty"),
    ({"text": "Only English words here, nothing in Arabic at all, so there is nothing to code."}, 422, "Arabic"),
    ({"published": "2020-01-16"}, 422, "text"),
    ({"text": 42}, 422, "text"),
    ({"text": STRIKE, "published": "16/01/2020"}, 422, "ISO date"),
])
def test_unusable_input_is_a_4xx_with_the_reason(client, body, status, reason):
    r = client.post("/v1/extract", json=body)
    assert r.status_code == status
    assert reason in r.json()["detail"]


def test_malformed_json_is_a_400(client):
    r = client.post("/v1/extract", content=b'{"text": "\xd8\xa7', headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert "malformed JSON" in r.json()["detail"]


def test_oversized_text_is_a_413(client):
    r = client.post("/v1/extract", json={"text": "ب" * 2_000_001})
    assert r.status_code == 413
    assert "2,000,000" in r.json()["detail"]


def test_oversized_body_is_refused_before_it_is_read(client):
    r = client.post("/v1/extract", content=b"x", headers={"content-type": "application/json",
                                                          "content-length": str(50 * 1024 * 1024)})
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


# -- no store ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v1/events", "/v1/clusters", "/v1/events/x%23E1", "/v1/clusters/c1",
                                  "/v1/documents/d1", "/v1/export?format=acled-csv"])
def test_store_endpoints_say_why_without_a_store(client, path):
    r = client.get(path)
    assert r.status_code == 503
    assert "rasd serve --db" in r.json()["detail"]


def test_a_missing_database_file_is_named(tmp_path):
    c = TestClient(create_app(db=str(tmp_path / "nope.duckdb")))
    r = c.get("/v1/events")
    assert r.status_code == 503
    assert "nope.duckdb" in r.json()["detail"]
    health = c.get("/healthz").json()
    assert health["status"] == "ok" and health["store"] == "unavailable"


# -- with a store ------------------------------------------------------------------------------------

def test_events_list_filters_and_pages(store_client):
    all_events = store_client.get("/v1/events").json()
    assert all_events["count"] >= 3
    uids = {e["uid"] for e in all_events["items"]}
    assert any(u.startswith("t-clash") for u in uids) and any(u.startswith("t-strike") for u in uids)

    page = store_client.get("/v1/events", params={"limit": 1}).json()
    assert page["count"] == 1 and page["next_offset"] == 1
    page2 = store_client.get("/v1/events", params={"limit": 1, "offset": 1}).json()
    assert page2["items"][0]["uid"] != page["items"][0]["uid"]

    battles = store_client.get("/v1/events", params={"event_type": "Battles"}).json()["items"]
    assert battles and all(e["event_type"] == "Battles" for e in battles)
    contested = store_client.get("/v1/events", params={"contested": "true"}).json()["items"]
    assert contested and all(e["contested"] for e in contested)
    aleppo_box = store_client.get("/v1/events", params={"bbox": "36.9,36.0,37.4,36.4"}).json()["items"]
    assert {e["location"]["name"] for e in aleppo_box} == {"Aleppo"}
    day = store_client.get("/v1/events", params={"date_from": "2020-01-16", "date_to": "2020-01-16"}).json()["items"]
    assert day and all(e["date"]["start"] == "2020-01-16" for e in day)
    assert store_client.get("/v1/events", params={"country": "IQ"}).json()["count"] == 0
    by_source = store_client.get("/v1/events", params={"source": "Outlet B"}).json()["items"]
    assert {e["doc_id"] for e in by_source} == {"t-strike-2"}


@pytest.mark.parametrize(("params", "reason"), [
    ({"bbox": "1,2,3"}, "bbox"), ({"bbox": "40,30,30,35"}, "bbox"), ({"date_from": "2020-13-01"}, "ISO date"),
    ({"date_from": "2020-02-01", "date_to": "2020-01-01"}, "after"), ({"limit": 0}, "limit"),
    ({"limit": 5000}, "limit"), ({"contested": "maybe"}, "contested"),
])
def test_bad_filters_are_4xx_naming_the_parameter(store_client, params, reason):
    r = store_client.get("/v1/events", params=params)
    assert r.status_code in (400, 422)
    assert reason in r.json()["detail"]


def test_one_event_cluster_and_document(store_client):
    ev = store_client.get("/v1/events", params={"event_type": "Battles"}).json()["items"][0]
    got = store_client.get("/v1/events/" + quote(ev["uid"], safe="")).json()
    assert got["uid"] == ev["uid"]

    clusters = store_client.get("/v1/clusters").json()["items"]
    idlib = [c for c in clusters if c.get("location") == "Idlib"]
    assert idlib, "the Idlib strike should be a cluster"
    cluster = store_client.get("/v1/clusters/" + idlib[0]["id"]).json()
    outlets = {c.get("outlet") for c in cluster["claims"]}
    assert "Outlet A" in outlets
    assert any(c["stance"] == "denies" for c in cluster["claims"])

    doc = store_client.get("/v1/documents/t-strike").json()
    assert doc["text"] == STRIKE and doc["doc"]["title"] == "غارات على إدلب"

    assert store_client.get("/v1/documents/nope").status_code == 404
    assert store_client.get("/v1/clusters/nope").status_code == 404
    assert store_client.get("/v1/events/nope%23E9").status_code == 404


def test_export_downloads_acled_csv_and_refuses_unknown_formats(store_client):
    pytest.importorskip("rasd.io.export", reason="the exporter is not in this tree")
    r = store_client.get("/v1/export", params={"format": "acled-csv", "country": "SY"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {"event_date", "event_type", "fatalities", "latitude"} <= set(rows[0])
    geo = store_client.get("/v1/export", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    bad = store_client.get("/v1/export", params={"format": "xlsx"})
    assert bad.status_code == 400 and "acled-csv" in bad.json()["detail"]


def test_healthz_reports_the_store(store_client):
    health = store_client.get("/healthz").json()
    assert health["store"] == "ok" and health["stats"]["documents"] == 3


# -- the page and the docs ---------------------------------------------------------------------------

def test_the_page_and_its_assets_need_no_network(client):
    assert "<html" in client.get("/").text
    for name in ("index.html", "app.js", "app.css"):
        body = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", body), f"{name} loads something remote"
        assert "@import" not in body
        assert client.get(f"/static/{name}").status_code == 200
    geo = STATIC / "admin1.geojson"
    assert geo.stat().st_size < 3 * 1024 * 1024
    data = client.get("/static/admin1.geojson").json()
    assert {f["properties"]["placetype"] for f in data["features"]} >= {"country", "region"}


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/v1/extract", "/v1/events", "/v1/clusters", "/v1/events/{uid}", "/v1/clusters/{cluster_id}",
              "/v1/documents/{doc_id}", "/v1/export", "/healthz"):
        assert p in paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", docs.text), "/docs loads something remote"
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_the_example_article_through_the_api(client, example_text):
    r = client.post("/v1/extract", json={"text": example_text, "published": "2020-01-16", "outlet": "Example"})
    assert r.status_code == 200
    doc = r.json()
    sohr = {s["id"] for s in doc["sources"] if s["name"] == "Syrian Observatory for Human Rights"}
    assert any(c["source"] in sohr and c["stance"] == "denies" for ev in doc["events"] for c in ev["claims"])


def test_extraction_in_a_process_pool_gives_the_same_answers():
    with TestClient(create_app(jobs=1)) as pooled:
        r = pooled.post("/v1/extract", json={"text": STRIKE, "published": "2020-01-16", "id": "p1"})
        assert r.status_code == 200 and r.headers["x-rasd-cache"] == "miss"
        direct = TestClient(create_app()).post("/v1/extract", json={"text": STRIKE, "published": "2020-01-16",
                                                                     "id": "p1"})
        assert r.json() == direct.json()
        again = pooled.post("/v1/extract", json={"text": STRIKE, "published": "2020-01-16", "id": "p1"})
        assert again.headers["x-rasd-cache"] == "hit" and again.json() == r.json()
        bad = pooled.post("/v1/extract", json={"text": "no Arabic here at all, only some English words"})
        assert bad.status_code == 422 and "Arabic" in bad.json()["detail"]


def test_serve_is_a_command_and_refuses_a_missing_file(tmp_path):
    from typer.testing import CliRunner

    from rasd.cli import app

    runner = CliRunner()
    assert "--load" in runner.invoke(app, ["serve", "--help"]).output
    r = runner.invoke(app, ["serve", "--load", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "no such file" in r.output
