"""Exports: ACLED and UCDP CSV columns and codes, GeoJSON, Parquet, JSONL, and the CLI over a store."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_cluster import MOD, SOHR, killed, make_doc

from rasd.cluster import cluster_events
from rasd.io.export import ACLED_COLUMNS, UCDP_COLUMNS, write_export

ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
                "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
                "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
                "tags,timestamp")


@pytest.fixture()
def docs() -> list[dict]:
    battle = {"type": "Battles", "sub": "Armed clash",
              "actors": [("actor1", "RUS-MIL", 8), ("actor2", "HTS", 2)],
              "claims": [killed("S2", 40, "soldiers"), killed("S2", 50, "militants")],
              "fatalities": {"low": 90, "best": 90, "high": 90}}
    denial = {"type": "Explosions/Remote violence", "sub": "Shelling/artillery/missile attack",
              "actors": [("actor1", "RUS-MIL", 8)], "claims": [killed("S2", 0, stance="denies")]}
    protest = {"type": "Protests", "sub": "Peaceful protest", "place": "Aleppo-gov",
               "actors": [("actor1", "PROTESTERS-SY", 6)], "evidence": "تظاهر المئات في حلب"}
    return [
        make_doc("a", "BBC Arabic", [battle], sources=[MOD]),
        make_doc("b", "CNN Arabic", [denial, protest], sources=[SOHR]),
    ]


@pytest.fixture()
def clusters(docs) -> list[dict]:
    return cluster_events(docs)


def _battle(clusters: list[dict]) -> dict:
    return next(c for c in clusters if len(c["members"]) == 2)


def test_acled_csv_has_acled_columns_and_codes(clusters):
    buf = io.StringIO()
    assert write_export("acled-csv", clusters, None, buf, timestamp=1700000000) == 2
    text = buf.getvalue()
    assert text.splitlines()[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ACLED_COLUMNS
    battle = next(r for r in rows if r["event_type"] == "Battles")
    assert battle["event_id_cnty"].startswith("SYR")
    assert battle["event_date"] == "2020-01-15" and battle["year"] == "2020" and battle["time_precision"] == "1"
    assert battle["disorder_type"] == "Political violence"
    assert (battle["actor1"], battle["inter1"], battle["actor2"], battle["inter2"]) == ("RUS-MIL", "8", "HTS", "2")
    assert battle["interaction"] == "28"
    assert (battle["iso"], battle["region"], battle["country"]) == ("760", "Middle East", "Syria")
    assert battle["admin1"] == "Idlib" and battle["location"] == "Saraqib" and battle["geo_precision"] == "1"
    assert float(battle["latitude"]) == pytest.approx(35.8647)
    assert battle["source"] == "BBC Arabic; CNN Arabic"
    assert battle["source_scale"] == "International"
    assert battle["fatalities"] == "90"
    assert "Russian Ministry of Defence reported 40 soldiers and 50 militants killed" in battle["notes"]
    assert "Syrian Observatory for Human Rights denied the clashes" in battle["notes"]
    assert "contested" in battle["tags"]
    assert battle["timestamp"] == "1700000000"
    protest = next(r for r in rows if r["event_type"] == "Protests")
    assert protest["disorder_type"] == "Demonstrations" and protest["interaction"] == "60"
    assert protest["geo_precision"] == "3" and protest["fatalities"] == "0"


def test_ucdp_csv_keeps_fatal_organised_violence(clusters):
    buf = io.StringIO()
    assert write_export("ucdp-csv", clusters, None, buf) == 1  # the protest is not UCDP organised violence
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == UCDP_COLUMNS
    [row] = rows
    assert row["type_of_violence"] == "1"  # an external state force fighting a rebel group
    assert (row["side_a"], row["side_b"], row["dyad_name"]) == ("RUS-MIL", "HTS", "RUS-MIL - HTS")
    assert (row["best"], row["low"], row["high"]) == ("90", "0", "90")
    assert row["deaths_unknown"] == "90"
    assert row["where_prec"] == "1" and row["date_start"] == "2020-01-15" and row["date_end"] == "2020-01-15"
    assert row["source_office"] == "BBC Arabic; CNN Arabic"
    assert row["country"] == "Syria" and row["adm_1"] == "Idlib"


def test_ucdp_one_sided_violence_counts_civilians(docs):
    vac = make_doc("c", "Al Jazeera", [{
        "type": "Violence against civilians", "sub": "Attack", "place": "Maarat", "civilian_targeting": True,
        "actors": [("actor1", "ISIS", 2)], "claims": [killed("S1", 7, "civilians")],
        "fatalities": {"low": 7, "best": 7, "high": 7}}])
    buf = io.StringIO()
    write_export("ucdp-csv", cluster_events([vac]), [{"doc": vac["doc"]}], buf)
    [row] = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["type_of_violence"] == "3" and row["side_b"] == "Civilians"
    assert row["deaths_civilians"] == "7" and row["deaths_unknown"] == "0"
    assert row["source_article"] == "title c"


def test_geojson_is_a_valid_feature_collection(clusters, tmp_path):
    out = tmp_path / "events.geojson"
    write_export("geojson", clusters, None, out)
    gj = json.loads(out.read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 2
    for f in gj["features"]:
        assert f["type"] == "Feature"
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert lon == pytest.approx(f["properties"]["lon"] if "lon" in f["properties"] else lon)
        assert f["properties"]["event_type"] and f["properties"]["members"]
    battle = next(f for f in gj["features"] if f["properties"]["event_type"] == "Battles")
    assert battle["geometry"]["coordinates"] == [36.8006, 35.8647]  # [lon, lat] as RFC 7946 says


def test_parquet_round_trip(clusters, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "clusters.parquet"
    assert write_export("parquet", clusters, None, out) == 2
    table = pq.read_table(out)
    rows = {r["id"]: r for r in table.to_pylist()}
    battle = _battle(clusters)
    row = rows[battle["id"]]
    assert row["members"] == battle["members"]
    assert row["outlets"] == ["BBC Arabic", "CNN Arabic"]
    assert (row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]) == (0, 90, 90)
    assert row["contested"] is True
    assert json.loads(row["claims_json"]) == battle["claims"]
    with pytest.raises(ValueError):
        write_export("parquet", clusters, None, io.StringIO())


def test_jsonl_one_cluster_per_line(clusters, tmp_path):
    out = tmp_path / "clusters.jsonl"
    assert write_export("jsonl", clusters, None, out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [c["id"] for c in clusters]
    with pytest.raises(ValueError):
        write_export("xml", clusters, None, out)


def test_cli_cluster_and_export_over_a_store(docs, tmp_path):
    pytest.importorskip("duckdb")
    from typer.testing import CliRunner

    from rasd.cli import app
    from rasd.store import Store

    db = tmp_path / "corpus.duckdb"
    with Store(db) as store:
        store.add_documents(docs)
    runner = CliRunner()
    # Before `cluster run`, export clusters on the fly.
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["cluster", "run", "--db", str(db)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "acled.csv"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "acled-csv", "-o", str(out),
                              "--event-type", "Battles"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["event_type"] for r in rows] == ["Battles"]
    cid = _battle(cluster_events(docs))["id"]
    res = runner.invoke(app, ["cluster", "show", cid, "--db", str(db)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Russian Ministry of Defence" in res.output and "denies" in res.output
    assert "Reconciled fatalities: low 0, best 90, high 90" in res.output
    res = runner.invoke(app, ["cluster", "show", "nope", "--db", str(db)])
    assert res.exit_code == 1
