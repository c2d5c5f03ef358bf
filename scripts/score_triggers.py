"""Measure the trigger lexicon against gold events (SPEC section 5 format).

Recall: a gold event is found when a resolved trigger (rasd.triggers.find_event_triggers) lies
inside one of its evidence spans with the gold event_type; sub-type accuracy is read on the
highest-weight such trigger. Noise: triggers in sentences that overlap no gold evidence at all.

    python scripts/score_triggers.py [--gold PATH] [--min-weight 0.5] [--misses] [--noise] [--doc ID]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rasd.text.normalize import normalize
from rasd.text.segment import split_sentences
from rasd.triggers import find_event_triggers

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load_docs(gold: Path) -> list[dict]:
    docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    example = SHARED / "examples" / "idlib-2020.gold.json"
    if example.exists() and not any(d.get("doc_id") == "idlib-2020" for d in docs):
        docs.insert(0, json.loads(example.read_text(encoding="utf-8")))
    return docs


def evidence_spans(norm: str, evidence: list[str]) -> list[tuple[int, int]]:
    spans = []
    for ev in evidence:
        key = normalize(ev)[0]
        pos = norm.find(key)
        if pos >= 0:
            spans.append((pos, pos + len(key)))
    return spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "data" / "dev" / "gold.jsonl")
    ap.add_argument("--min-weight", type=float, default=0.5, help="triggers below this weight are ignored")
    ap.add_argument("--misses", action="store_true", help="print gold events without a typed trigger")
    ap.add_argument("--noise", action="store_true", help="print triggers outside gold evidence")
    ap.add_argument("--doc", help="only this doc id (substring)")
    args = ap.parse_args()

    n_events = n_untyped = n_typed = n_sub = 0
    noise_total = 0
    n_docs = 0
    by_type: Counter[str] = Counter()
    by_type_hit: Counter[str] = Counter()
    noise_phrases: Counter[str] = Counter()
    for doc in load_docs(args.gold):
        if args.doc and args.doc not in doc["doc_id"]:
            continue
        n_docs += 1
        norm = normalize(doc["text"])[0]
        triggers = [t for t in find_event_triggers(norm) if t.weight >= args.min_weight]
        all_spans: list[tuple[int, int]] = []
        for ev in doc["events"]:
            spans = evidence_spans(norm, ev["evidence"])
            all_spans += spans
            inside = [t for t in triggers if any(s <= t.start < e for s, e in spans)]
            typed = [t for t in inside if t.event_type == ev["event_type"]]
            n_events += 1
            by_type[ev["sub_event_type"]] += 1
            n_untyped += bool(inside)
            if typed:
                n_typed += 1
                best = max(typed, key=lambda t: t.weight)
                if best.sub_event_type == ev["sub_event_type"]:
                    n_sub += 1
                    by_type_hit[ev["sub_event_type"]] += 1
            if args.misses and (not typed or max(typed, key=lambda t: t.weight).sub_event_type != ev["sub_event_type"]):
                got = ", ".join(f"{t.phrase}={t.event_type}/{t.sub_event_type}:{t.weight}" for t in inside) or "-"
                print(f"MISS {doc['doc_id'][-12:]} gold={ev['sub_event_type']} got=[{got}] ev={ev['evidence'][0][:90]}")
        for sent in split_sentences(norm):
            if any(s < sent.end and sent.start < e for s, e in all_spans):
                continue
            for t in triggers:
                if sent.start <= t.start < sent.end:
                    noise_total += 1
                    noise_phrases[t.phrase] += 1
                    if args.noise:
                        print(f"NOISE {doc['doc_id'][-12:]} {t.phrase}={t.sub_event_type}:{t.weight} | {norm[sent.start:sent.end][:100]}")

    print(f"docs {n_docs}  gold events {n_events}  min_weight {args.min_weight}")
    print(f"recall any trigger in evidence   {n_untyped / max(n_events, 1):.3f}")
    print(f"recall trigger with gold type     {n_typed / max(n_events, 1):.3f}")
    print(f"sub-type accuracy | typed         {n_sub / max(n_typed, 1):.3f}  (type+sub recall {n_sub / max(n_events, 1):.3f})")
    print(f"noise: triggers outside evidence  {noise_total}  ({noise_total / max(n_docs, 1):.2f} per doc)")
    print("per sub-type (type+sub hits / gold):")
    for sub, n in by_type.most_common():
        print(f"  {by_type_hit[sub]:3d}/{n:<3d} {sub}")
    print("top noise phrases:", ", ".join(f"{p}:{c}" for p, c in noise_phrases.most_common(15)))


if __name__ == "__main__":
    main()
