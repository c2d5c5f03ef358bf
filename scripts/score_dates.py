"""Score date resolution on the dev gold: how often the picked date equals gold date.start.

For each gold event with a date, its evidence strings are located in the text (first one first) and
`rasd.dates.pick_event_date` chooses the date: a mention inside a span, else in its sentence, else a
background date inside the span, else the nearest dated mention before it in the article, else the
publication day. The "sentence-only" line is the stricter reading (inside / same sentence / published).
With -v every miss is printed, to read article by article.

    .venv/bin/python scripts/score_dates.py [-v] [--gold PATH]
"""

from __future__ import annotations

import argparse
import bisect
import json
from datetime import date
from pathlib import Path

from rasd.dates import DateMention, find_dates, pick_event_date
from rasd.text.normalize import normalize
from rasd.text.segment import split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def evidence_spans(text: str, starts: list[int], evidence: list[str]) -> list[tuple[int, int]]:
    """Normalised offsets of each evidence string found in the original text."""
    spans = []
    for ev in evidence:
        o = text.find(ev)
        if o >= 0:
            spans.append((bisect.bisect_left(starts, o), bisect.bisect_left(starts, o + len(ev))))
    return spans


def sentence_only(norm: str, spans: list[tuple[int, int]], mentions: list[DateMention],
                  published: date) -> date | None:
    """The stricter reading: first event date inside a span, else in its sentence, else published."""
    usable = [m for m in mentions if m.kind != "background" and m.start_date is not None]
    sentences = split_sentences(norm)
    for s, e in spans:
        inside = [m for m in usable if s <= m.start and m.end <= e]
        sent = next((x for x in sentences if x.start <= s < x.end), None)
        around = [m for m in usable if sent and sent.start <= m.start and m.end <= sent.end]
        if inside or around:
            return (inside or around)[0].start_date
    return published


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(SHARED / "data" / "dev" / "gold.jsonl"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    total = right = strict_right = 0
    warnings_n = 0
    for line in Path(args.gold).read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        published = date.fromisoformat(doc["published"])
        norm, starts, _ = normalize(doc["text"])
        mentions, warnings = find_dates(norm, published)
        warnings_n += len(warnings)
        for ev in doc["events"]:
            if not ev.get("date") or not ev["date"].get("start"):
                continue
            gold = date.fromisoformat(ev["date"]["start"])
            spans = evidence_spans(doc["text"], starts, ev["evidence"])
            got = pick_event_date(mentions, norm, spans, published)
            strict_date = sentence_only(norm, spans, mentions, published)
            total += 1
            right += got.start_date == gold
            strict_right += strict_date == gold
            if got.start_date != gold and args.verbose:
                via = norm[got.start:got.end] or "(published)"
                print(f"MISS {doc['doc_id']} pub={published} gold={gold} got={got.start_date} via={via!r}")
                print(f"     evidence: {ev['evidence'][0][:150]}")
    print(f"date.start accuracy (pick_event_date): {right}/{total} = {right / max(total, 1):.3f}")
    print(f"date.start accuracy (sentence-only):   {strict_right}/{total} = {strict_right / max(total, 1):.3f}")
    print(f"warnings raised: {warnings_n}")


if __name__ == "__main__":
    main()
