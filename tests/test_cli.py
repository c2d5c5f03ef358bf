"""The command line: extract from files, stdin and JSONL with bad lines; summary; eval."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rasd.cli import app

runner = CliRunner()
REPORT = "قتل خمسة مدنيين في غارة جوية على بلدة سراقب في ريف إدلب مساء أمس، بحسب المرصد السوري لحقوق الإنسان."


def test_extract_jsonl_keeps_going_past_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": REPORT, "published": "2021-03-11"}, ensure_ascii=False) + "\n"
        + "{not json\n"
        + json.dumps({"id": "c", "text": "English only, no Arabic here at all."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc"]["id"] for r in rows] == ["a", "in.jsonl:2", "c"]
    assert rows[0]["events"] and "error" not in rows[0]
    assert "malformed JSON" in rows[1]["error"]
    assert "not Arabic" in rows[2]["error"]


def test_extract_txt_with_published_and_pretty(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--published", "2021-03-11", "--pretty"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    ev = doc["events"][0]
    assert ev["sub_event_type"] == "Air/drone strike"
    assert ev["date"]["start"] == "2021-03-10"
    assert ev["location"]["name_ar"] == "سراقب"


def test_extract_from_stdin():
    result = runner.invoke(app, ["extract", "-", "--published", "2021-03-11"], input=REPORT.encode("utf-8"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"]


def test_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_summary_prints_events(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    runner.invoke(app, ["extract", str(src), "--published", "2021-03-11", "-o", str(out)])
    result = runner.invoke(app, ["summary", str(out)])
    assert result.exit_code == 0
    assert "Explosions/Remote violence" in result.output


def test_eval_json_on_the_example(tmp_path, example_gold):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(example_gold, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--json"])
    assert result.exit_code == 0
    scores = json.loads(result.stdout)["scores"]
    assert scores["events"]["f1"] >= 0.9
