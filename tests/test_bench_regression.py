"""The speed-ups must not change what is extracted, and `make bench` must run.

The fast paths (interval selection, the dates regex trie, cached sentences, the normaliser's
one-to-one runs) are checked against the straightforward versions they replaced, on our own strings.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

from conftest import DEV_ARTICLES, REPO, need

from rasd import dates
from rasd.text.matcher import longest_first
from rasd.text.normalize import normalize
from rasd.text.segment import Span, split_sentences


def _naive_longest_first(hits: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    for h in sorted(hits, key=lambda m: (-(m.end - m.start), m.start)):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda m: m.start)


def test_overlapping_hits_resolve_as_before() -> None:
    rnd = random.Random(3)
    for _ in range(500):
        hits = []
        for _ in range(rnd.randint(0, 30)):
            a = rnd.randint(0, 60)
            hits.append(Span(a, a + rnd.randint(1, 12)))
        assert longest_first(hits) == _naive_longest_first(hits)


def _flat_alt(keys: list[str]) -> str:
    """The flat "longest|...|shortest" alternation the trie replaced."""
    parts = []
    for key in sorted(set(keys), key=lambda k: (-len(k), k)):
        body = r"\s+".join(re.escape(w) for w in key.split())
        if key.startswith("ال"):
            body = r"(?:ال|(?<=ل)ل)" + body[2:]
        parts.append(body)
    return "|".join(parts)


def test_date_phrase_trie_matches_like_the_flat_alternation() -> None:
    lex = dates.lexicon()
    keys = [*lex.months, *lex.relative, *lex.weekdays, *lex.parts, *lex.ordinals]
    pre = r"(?<!\w)(?:[وف]?[بلك]?)"
    trie = re.compile(rf"{pre}(?P<k>{dates._alt(keys)})(?!\w)")
    flat = re.compile(rf"{pre}(?P<k>{_flat_alt(keys)})(?!\w)")
    rnd = random.Random(5)
    words = keys + [k[2:] for k in keys if k.startswith("ال")] + ["في", "من", "شهر", "2014", "،"]
    for _ in range(2000):
        text = " ".join(rnd.choice(["", "و", "ب", "ل", "لل"]) + rnd.choice(words) for _ in range(rnd.randint(1, 6)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], text


def test_normalize_offsets_survive_runs_and_specials() -> None:
    text = "قُتِلَ ٣٥ شخصاً &amp; أُصيب\u200f آخرون في ﻻ ABC"
    norm, starts, ends = normalize(text)
    assert norm == "قتل 35 شخصا & اصيب اخرون في لا abc"
    assert len(norm) == len(starts) == len(ends)
    assert all(text[starts[i]:ends[i]] for i in range(len(norm)))
    assert text[starts[norm.index("35")]:ends[norm.index("35") + 1]] == "٣٥"


def test_cached_sentences_are_a_fresh_list_each_time() -> None:
    text = "قتل خمسة. وأصيب عشرة"
    first = split_sentences(text)
    first.append(Span(0, 1))  # a caller changing its list must not change the next caller's
    assert split_sentences(text) == [Span(0, 9), Span(10, 20)]


def _bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_bench_script_runs_on_a_few_articles(tmp_path) -> None:
    path = need(DEV_ARTICLES)
    out = tmp_path / "bench.json"
    proc = _bench(str(path), "--n", "12", "--jobs", "1,2", "--chunk", "4", "--repeat", "2", "--stages", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "articles/s" in proc.stdout and "floor" in proc.stdout and "cores" in proc.stdout
    assert "median of 2 (jobs=2)" in proc.stdout and "speed-up" in proc.stdout
    # the stage table names every stage that ran, with its share of the time
    table = proc.stdout.split("stages, one process", 1)[1]
    for stage in ("places", "figures", "triggers", "relevance", "to schema"):
        assert stage in table
    result = json.loads(out.read_text(encoding="utf-8"))
    runs = result["runs"]
    # two rounds, each with one worker then two: the same documents and events whatever the workers
    assert [(r["round"], r["jobs"]) for r in runs] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert {r["documents"] for r in runs} == {12}
    assert len({r["events"] for r in runs}) == 1 and runs[0]["events"] > 0
    assert all(r["errors"] == 0 for r in runs)
    assert all(0 < mb < 2000 for r in runs for mb in r["peak_rss_mb"])
    assert set(result["median"]) == {"1", "2"} and result["median"]["2"]["speed_up"] > 0


def test_bench_script_says_when_the_corpus_is_missing() -> None:
    proc = _bench("/nonexistent/corpus.jsonl.gz")
    assert proc.returncode == 2
    assert "corpus not found" in proc.stderr
