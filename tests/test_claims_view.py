"""`rasd claims`: the analyst sees at once who claims what and who denies it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rasd.cli import app

runner = CliRunner(env={"COLUMNS": "200"})


def test_claims_view_of_the_example_shows_russian_figures_and_the_denial(example_text, tmp_path):
    src = tmp_path / "idlib.txt"
    src.write_text(example_text, encoding="utf-8")
    result = runner.invoke(app, ["claims", str(src), "--published", "2020-01-16"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "CONTESTED" in out and "DENIES" in out
    assert "killed 40 soldiers" in out and "killed 50 militants" in out
    assert "low 0 / best 90 / high 90" in out


def test_claims_view_reads_rasd_output_too(tmp_path):
    text = "وبحسب المرصد السوري لحقوق الإنسان، قتل 12 مدنياً في قصف على بلدة سراقب اليوم."
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    runner.invoke(app, ["extract", str(src), "--published", "2021-03-11", "-o", str(out)])
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["schema"] == "rasd.document/1"
    result = runner.invoke(app, ["claims", str(out)])
    assert result.exit_code == 0
    assert "killed 12 civilians" in result.output
    assert "المرصد السوري لحقوق الإنسان" in result.output
