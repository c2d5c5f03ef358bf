"""`rasd batch`: parallel runs give the same store, bad documents are recorded, resume skips stored ones."""

from __future__ import annotations

import json

from test_store import DOCS
from typer.testing import CliRunner

from rasd import cli_corpus
from rasd.cli import app
from rasd.cli_corpus import run_batch
from rasd.store import Store

EN = "Five civilians were killed in an air strike on Idlib on Thursday, the Syrian Observatory said. " * 2


def write_corpus(path, extra: list[dict] | None = None) -> None:
    """Good documents plus one of each kind of bad record a corpus holds."""
    lines = [json.dumps({"id": i, "published": p, "outlet": o, "title": f"خبر {i}", "text": t}, ensure_ascii=False)
             for i, p, o, t in DOCS]
    lines.insert(2, '{"id": "half a line", "text": "قتل')
    lines.append(json.dumps({"id": "en1", "text": EN}))
    lines.append(json.dumps({"id": "baddate", "published": "yesterday", "text": DOCS[0][3]}, ensure_ascii=False))
    lines.append(json.dumps({"id": "empty", "text": "   "}))
    lines += [json.dumps(r, ensure_ascii=False) for r in extra or []]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def dump(db) -> dict:
    """Everything a user can see in a store, in a stable order."""
    with Store(db, read_only=True) as s:
        q = {
            "documents": "SELECT id, content_hash, outlet, published, n_events, error, skipped, json FROM documents "
                         "ORDER BY id",
            "events": "SELECT * EXCLUDE (actor_ids) FROM events ORDER BY uid",
            "claims": "SELECT * FROM claims ORDER BY event_uid, claim_no",
            "figures": "SELECT * FROM figures ORDER BY event_uid, claim_no, figure_no",
            "errors": "SELECT * FROM errors ORDER BY doc_id",
            "clusters": "SELECT * FROM clusters ORDER BY id",
            "members": "SELECT * FROM cluster_members ORDER BY cluster_id, event_uid",
        }
        return {k: s.query(sql)[1] for k, sql in q.items()}


def test_two_workers_give_the_same_store_as_one_and_errors_are_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_corpus, "WRITE_EVERY", 3)  # several store writes per run, as on a real corpus
    src = tmp_path / "corpus.jsonl"
    write_corpus(src)
    one = run_batch([str(src)], tmp_path / "one.duckdb", jobs=1, chunk_size=2, progress=False)
    two = run_batch([str(src)], tmp_path / "two.duckdb", jobs=2, chunk_size=2, progress=False)
    assert dump(tmp_path / "one.duckdb") == dump(tmp_path / "two.duckdb")
    assert one["documents_read"] == two["documents_read"] == 8
    assert one["errors"] == 3 and one["skipped"] == 1 and one["events"] == 4
    with Store(tmp_path / "two.duckdb", read_only=True) as s:
        errors = dict(((d, st) for d, st, _ in s.query("SELECT * FROM errors")[1]))
        assert errors == {"corpus.jsonl:3": "read", "en1": "language", "baddate": "extract", "empty": "extract"}
        assert "published must be an ISO date" in s.document("baddate")["error"]
        assert s.stats()["events"] == 4


def test_rerun_is_idempotent_and_resume_extracts_only_new_documents(tmp_path):
    src, db = tmp_path / "corpus.jsonl", tmp_path / "s.duckdb"
    write_corpus(src)
    run_batch([str(src)], db, progress=False)
    before = dump(db)
    again = run_batch([str(src)], db, progress=False)
    assert again["stored"] == 0 and dump(db) == before
    new = {"id": "a5", "published": "2015-07-03", "text": DOCS[2][3].replace("تعز", "عدن")}
    write_corpus(src, extra=[new])
    resumed = run_batch([str(src)], db, resume=True, progress=False)
    assert resumed["already_stored"] == 8 and resumed["extracted"] == 1 and resumed["stored"] == 1
    with Store(db, read_only=True) as s:
        assert s.stats()["documents"] == 9 and s.has("a5")


def test_cli_batch_query_and_stats(tmp_path):
    src, db = tmp_path / "corpus.jsonl", tmp_path / "cli.duckdb"
    write_corpus(src)
    runner = CliRunner()
    res = runner.invoke(app, ["batch", str(src), "--db", str(db), "--jobs", "1", "--report", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "r.json").read_text())["events"] == 4
    res = runner.invoke(app, ["query", "SELECT country, count(*) AS n FROM events GROUP BY 1 ORDER BY 1", "--db",
                              str(db), "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {"country": "SY", "n": 2} in rows
    res = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    st = json.loads(res.stdout)
    assert st["documents"] == 8 and st["events"] == 4 and st["skipped"] == 1 and st["errors"] == 3
    assert runner.invoke(app, ["stats", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["query", "SELEC nonsense", "--db", str(db)]).exit_code == 1
    assert runner.invoke(app, ["stats", "--db", str(tmp_path / "missing.duckdb")]).exit_code == 2


def test_a_failing_clustering_step_keeps_the_extracted_documents(tmp_path, monkeypatch):
    import rasd.cluster

    def broken(docs):
        raise RuntimeError("cluster bug")

    monkeypatch.setattr(rasd.cluster, "cluster_events", broken)
    src, db = tmp_path / "corpus.jsonl", tmp_path / "s.duckdb"
    write_corpus(src)
    summary = run_batch([str(src)], db, progress=False)
    assert summary["cluster_error"] == "RuntimeError: cluster bug" and summary["stored"] == 8
    res = CliRunner().invoke(app, ["batch", str(src), "--db", str(db)])
    assert res.exit_code == 1 and "clustering failed" in res.output


def test_reused_ids_keep_both_articles_and_exact_duplicates_are_dropped(tmp_path):
    src, db = tmp_path / "corpus.jsonl", tmp_path / "s.duckdb"
    i, p, o, t = DOCS[2]
    other = DOCS[3][3]
    extra = [{"id": i, "published": p, "text": t}, {"id": i, "published": "2013-03-23", "text": other},
             {"id": i, "published": "2013-03-23", "text": other}]
    write_corpus(src, extra=extra)
    first = run_batch([str(src)], db, progress=False)
    assert first["duplicates"] == 2 and first["extracted"] == 9
    with Store(db, read_only=True) as s:
        assert s.document(f"{i}~2")["doc"]["id"] == f"{i}~2" and s.document(i)["events"][0]["event_type"] == "Battles"
    before = dump(db)
    again = run_batch([str(src)], db, resume=True, progress=False)
    assert again["extracted"] == 0 and again["already_stored"] == 9 and dump(db) == before


def test_batch_over_a_folder_of_mixed_formats(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from test_readers import AR, RSS, _warc

    folder = tmp_path / "in"
    (folder / "crawl").mkdir(parents=True)
    (folder / "feed.rss").write_text(RSS, encoding="utf-8")
    _warc(folder / "crawl" / "c.warc.gz")
    pq.write_table(pa.table({"id": ["pq1"], "text": [DOCS[2][3]], "published": ["2015-07-02"]}), folder / "x.parquet")
    (folder / "old.txt").write_bytes(AR.encode("cp1256"))
    summary = run_batch([str(folder)], tmp_path / "s.duckdb", progress=False)
    assert summary["documents_read"] == 5 and summary["skipped"] == 1 and summary["errors"] == 0
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        ids = {r[0] for r in s.query("SELECT id FROM documents")[1]}
        assert ids == {"news-a1", "https://news.example/en1", "https://site.example/news/1", "pq1", "old"}
        assert {e["doc_id"] for e in s.events(country="SY")} >= {"news-a1", "https://site.example/news/1"}
