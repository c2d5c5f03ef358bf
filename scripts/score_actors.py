"""Score the actor & source recogniser against the dev gold.

Actor recall: a gold actor of an event is found when a mention inside the event's evidence
sentences carries the gold English name (compared loosely: case, punctuation, year ranges and the
word "faction" ignored), or when the mention's text matches one of the gold text alternatives
(normalised, clitics stripped, one containing the other) and its `inter` code is the gold one.

Source recall: every distinct gold figure `source` list and `denied_by` list of a document is found
when some mention anywhere in the document that can speak (role source/both) matches one of its
alternatives.

Usage: python scripts/score_actors.py [--gold PATH] [--misses]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from rasd.actors import ActorMention, country_of_text, find_actors
from rasd.text.matcher import strip_clitics
from rasd.text.normalize import normalize_key
from rasd.text.segment import split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def loose_name(name: str) -> str:
    name = re.sub(r"\(\d{4}-\d{0,4}\)", " ", name.lower())
    name = re.sub(r"\bfaction\b", " ", name)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def key(text: str) -> str:
    return " ".join(strip_clitics(w) for w in normalize_key(text).replace('"', " ").split())


def text_match(mention_text: str, alternatives: list[str]) -> bool:
    m = key(mention_text)
    return any(a and (a in m or m in a) for a in (key(x) for x in alternatives))


def find_gold_actor(actor: dict, mentions: list[ActorMention], norm: str) -> ActorMention | None:
    """The first mention with the gold name, else one with the gold inter and a gold text alternative."""
    gname = loose_name(actor["name"])
    hit = next((m for m in mentions if loose_name(m.entry.name) == gname), None)
    if hit is None:
        hit = next(
            (
                m
                for m in mentions
                if m.entry.inter == actor["inter"] and text_match(norm[m.start : m.end], actor["text"])
            ),
            None,
        )
    return hit


def evidence_spans(norm: str, evidence: list[str]) -> list[tuple[int, int]]:
    """The sentences (normalised offsets) that contain each evidence string."""
    sentences = split_sentences(norm)
    spans = []
    for ev in evidence:
        ev_n = normalize_key(ev)
        pos = norm.find(ev_n) if ev_n else -1
        if pos < 0:
            pos = norm.find(ev_n[:40])
        if pos < 0:
            continue
        end = pos + len(ev_n)
        for s in sentences:
            if s.start < end and pos < s.end:
                spans.append((s.start, s.end))
    return spans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=SHARED / "data/dev/gold.jsonl")
    ap.add_argument("--misses", action="store_true", help="print every gold actor/source not found")
    args = ap.parse_args()
    docs = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    example = SHARED / "examples/idlib-2020.gold.json"
    if example.exists() and args.gold.name == "gold.jsonl":
        ids = {d.get("doc_id") for d in docs}
        ex = json.loads(example.read_text(encoding="utf-8"))
        if ex.get("doc_id") not in ids:
            docs.append(ex)

    a_total = a_found = a_name = a_doc = s_total = s_found = c_total = c_ok = 0
    extra = 0
    for doc in docs:
        norm = normalize_key(doc["text"])  # spaces collapsed, like the evidence strings below
        hint = country_of_text(norm)
        gold_countries = Counter(e["location"].get("country") for e in doc["events"] if e.get("location"))
        if gold_countries:
            c_total += 1
            c_ok += gold_countries.most_common(1)[0][0] == hint
        mentions = find_actors(norm, hint)
        for ev in doc["events"]:
            spans = evidence_spans(norm, ev["evidence"])
            inside: list[ActorMention] = [
                m for m in mentions if any(s <= m.start and m.end <= e for s, e in spans)
            ]
            used = set()
            for actor in ev["actors"]:
                a_total += 1
                hit = find_gold_actor(actor, inside, norm)
                a_doc += find_gold_actor(actor, mentions, norm) is not None
                if hit and loose_name(hit.entry.name) == loose_name(actor["name"]):
                    a_name += 1
                if hit:
                    a_found += 1
                    used.add(id(hit))
                elif args.misses:
                    print(
                        f"ACTOR MISS {doc['doc_id']}: {actor['name']} ({actor['inter']}) {actor['text']}  "
                        f"| had: {[(norm[m.start : m.end], m.entry.id, m.entry.inter) for m in inside if m.entry.can_act]}"
                    )
            extra += sum(1 for m in inside if m.entry.can_act and id(m) not in used)
        speakers = [m for m in mentions if m.entry.can_speak]
        lists = {tuple(f["source"]) for ev in doc["events"] for f in ev["figures"] if f["source"]}
        lists |= {tuple(d) for ev in doc["events"] for d in ev.get("denied_by", []) if d}
        for alts in lists:
            s_total += 1
            hit = next((m for m in speakers if text_match(norm[m.start : m.end], list(alts))), None)
            if hit:
                s_found += 1
            elif args.misses:
                print(f"SOURCE MISS {doc['doc_id']}: {list(alts)}")
    print(f"docs: {len(docs)}")
    print(f"actor recall: {a_found}/{a_total} = {a_found / max(a_total, 1):.3f} (by name: {a_name})")
    print(f"actor found anywhere in its document: {a_doc}/{a_total} = {a_doc / max(a_total, 1):.3f}")
    print(f"actor-capable mentions in evidence not matching a gold actor: {extra}")
    print(f"country hint = gold events' main country: {c_ok}/{c_total}")
    print(f"source recall: {s_found}/{s_total} = {s_found / max(s_total, 1):.3f}")


if __name__ == "__main__":
    main()
