"""Print what each stage found in one document, sentence by sentence (for error analysis).

usage: python scripts/debug_doc.py (FILE.txt --published DATE | --gold GOLD.jsonl --doc ID)
"""

from __future__ import annotations

import argparse
import json

from rasd.document import Document
from rasd.events import build_candidates
from rasd.pipeline import run, to_schema


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--published")
    ap.add_argument("--gold")
    ap.add_argument("--doc")
    a = ap.parse_args()
    if a.gold:
        rec = next(json.loads(line) for line in open(a.gold, encoding="utf-8") if a.doc in line[:300])
        text, published = rec["text"], rec["published"]
    else:
        text, published = open(a.file, encoding="utf-8").read(), a.published
    from rasd.pipeline import parse_published

    doc = Document(text, published=parse_published(published))
    run(doc)
    if not doc.relevant:
        print("not relevant: no trigger of weight >= MIN_EVENT_WEIGHT and no figure", [(t.phrase, t.weight) for t in doc.triggers])
        return
    print("country hint:", doc.country_hint)
    cands = build_candidates(doc, doc.attribution)
    for i, s in enumerate(doc.sentences):
        print(f"\n[{i}] {doc.norm[s.start:s.end]}")
        for seg in doc.attribution.segments:
            if seg.sentence == i:
                print(f"   seg {seg.speaker} {seg.stance}: {doc.norm[seg.start:seg.end][:60]}")
        for kind, items in (("trig", doc.triggers), ("fig", doc.figures), ("date", doc.dates), ("place", doc.places), ("actor", doc.actors)):
            for x in items:
                if s.start <= x.start < s.end:
                    extra = ""
                    if kind == "trig":
                        extra = f"{x.event_type}/{x.sub_event_type} w={x.weight}"
                    elif kind == "fig":
                        extra = f"{x.kind} {x.best} {x.group}"
                    elif kind == "date":
                        extra = f"{x.start_date} {x.end_date} {x.kind}"
                    elif kind == "place":
                        extra = f"{x.name} {x.country} {x.admin1} p{x.geo_precision} {x.placetype}"
                    elif kind == "actor":
                        extra = f"{x.entry.id} inter{x.entry.inter} {x.entry.kind}"
                    print(f"   {kind:5} {doc.norm[x.start:x.end]!r} {extra}")
        for c in cands:
            if c.sentence == i:
                print(f"   CAND {c.event_type}/{c.sub_event_type} place={c.place.name if c.place else None} "
                      f"date={c.date.start_date if c.date else None} actors={[(h, m.entry.id) for h, m in c.actors]}")
    out = to_schema(doc)
    for e in out.events:
        print(e.id, e.event_type, e.sub_event_type, e.location.name if e.location else None,
              [ (x.role, x.id) for x in e.actors], [ev.text[:40] for ev in e.evidence])


if __name__ == "__main__":
    main()
