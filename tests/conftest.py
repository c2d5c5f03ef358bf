"""Shared fixtures: the ../shared data when present (tests that need it skip with a clear reason)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE_TXT = SHARED / "examples" / "idlib-2020.txt"
EXAMPLE_GOLD = SHARED / "examples" / "idlib-2020.gold.json"
DEV_GOLD = SHARED / "data" / "dev" / "gold.jsonl"
DEV_ARTICLES = SHARED / "data" / "dev" / "articles.jsonl"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared not present ({path.name} missing): real-article test skipped")
    return path


@pytest.fixture(scope="session")
def example_text() -> str:
    return need(EXAMPLE_TXT).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_gold() -> dict:
    return json.loads(need(EXAMPLE_GOLD).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dev_gold() -> list[dict]:
    return [json.loads(line) for line in need(DEV_GOLD).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_articles() -> dict[str, dict]:
    rows = [json.loads(line) for line in need(DEV_ARTICLES).read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}
