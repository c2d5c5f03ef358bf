"""Score `rasd.figures.find_figures` against gold figures (SPEC section 5), ignoring sources and events.

A system figure matches a gold figure of the same document when the kinds agree and the system `best`
lies within the gold [low, high] (high null = no upper bound); one-to-one, pairs with equal `best` first
and required gold figures before optional ones. Optional gold figures missed are no error.

    python scripts/score_figures.py [gold.jsonl ...] [-v]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from rasd.figures import FigureMention, find_figures
from rasd.text.normalize import normalize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT = [SHARED / "examples" / "idlib-2020.gold.json", SHARED / "data" / "dev" / "gold.jsonl"]


def load(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def fits(sys_fig: FigureMention, gold: dict) -> bool:
    if sys_fig.kind != gold["kind"]:
        return False
    low = gold["low"] if gold["low"] is not None else 0
    high = gold["high"] if gold["high"] is not None else float("inf")
    return low <= sys_fig.best <= high


def match(system: list[FigureMention], gold: list[dict]) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """Greedy one-to-one pairs (sys index, gold index); returns pairs, unmatched sys, unmatched gold."""
    cands = [(s, g) for s, sf in enumerate(system) for g, gf in enumerate(gold) if fits(sf, gf)]
    cands.sort(key=lambda p: (system[p[0]].best != gold[p[1]]["best"], bool(gold[p[1]].get("optional"))))
    used_s: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for s, g in cands:
        if s not in used_s and g not in used_g:
            pairs.append((s, g))
            used_s.add(s)
            used_g.add(g)
    return pairs, set(range(len(system))) - used_s, set(range(len(gold))) - used_g


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")] or DEFAULT
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            print(f"missing {path}", file=sys.stderr)
            continue
        for doc in load(path):
            if doc["doc_id"] in seen:
                continue
            seen.add(doc["doc_id"])
            norm = normalize(doc["text"])[0]
            system = find_figures(norm)
            gold = [f for e in doc["events"] for f in e["figures"]]
            pairs, extra, missed = match(system, gold)
            for _, g in pairs:
                tp[gold[g]["kind"]] += 1
            for s in extra:
                fp[system[s].kind] += 1
            for g in missed:
                if not gold[g].get("optional"):
                    fn[gold[g]["kind"]] += 1
            if verbose and (extra or any(not gold[g].get("optional") for g in missed)):
                print(f"== {doc['doc_id']}")
                for s in sorted(extra):
                    f = system[s]
                    print(f"  FP {f.kind:10} {f.best:>6} {f.qualifier:12} {f.group:10} | {norm[f.start:f.end]}"
                          f" | ...{norm[max(0, f.start - 40):f.end + 25]}...")
                for g in sorted(missed):
                    f = gold[g]
                    if not f.get("optional"):
                        print(f"  FN {f['kind']:10} {f['best']:>6} {f['qualifier']:12} {f['group']:10} | {f['text']}")
    print(f"{'kind':12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if kind == "ALL" else tp[kind]
        p_ = sum(fp.values()) if kind == "ALL" else fp[kind]
        n_ = sum(fn.values()) if kind == "ALL" else fn[kind]
        prec = t / (t + p_) if t + p_ else 0.0
        rec = t / (t + n_) if t + n_ else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{kind:12} {prec:6.3f} {rec:6.3f} {f1:6.3f} {t:4} {p_:4} {n_:4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
