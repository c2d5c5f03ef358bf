"""Score the geoparser against gold event locations (SPEC section 5 location accuracy).

For each gold event: run `find_places` on the document, take the place mention inside the event's
evidence spans (first evidence first; else the evidence's sentence; else the nearest earlier mention)
and compare with the gold location: within 15 km; when gold geo_precision is 3, within 75 km or the same
admin1; a country-level gold place needs the same country. Also prints an "oracle" rate (some mention
in the evidence is right), which separates gazetteer errors from choosing among mentions.

Usage: python scripts/score_places.py [--gold FILE] [-v]
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import re
from pathlib import Path

from rasd.places import PlaceMention, find_places
from rasd.text.normalize import normalize
from rasd.text.segment import split_sentences

REPO = Path(__file__).resolve().parents[1]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _a1(s: str | None) -> str:
    s = re.sub(r"[^a-z]", "", (s or "").lower())
    for pre in ("al", "ar", "as", "ad", "ash", "an", "at", "az"):
        if s.startswith(pre) and len(s) > len(pre) + 3:
            s = s[len(pre):]
            break
    return s[:4]


def correct(m: PlaceMention | None, gold: dict) -> bool:
    if m is None:
        return False
    if gold.get("admin1") is None and gold.get("geo_precision") == 3:
        return m.country == gold.get("country")
    d = km((m.lat, m.lon), (gold["lat"], gold["lon"]))
    if d <= 15:
        return True
    if gold.get("geo_precision") == 3:
        return d <= 75 or (m.country == gold.get("country") and _a1(m.admin1) == _a1(gold.get("admin1")))
    return False


def norm_span(starts: list[int], os: int, oe: int) -> tuple[int, int]:
    return bisect.bisect_left(starts, os), bisect.bisect_left(starts, oe)


def pick(mentions: list[PlaceMention], spans: list[tuple[int, int]], sentences) -> PlaceMention | None:
    """The event's place: the first non-country mention in its evidence, else in the evidence's sentence,
    else a country named there, else the nearest mention before the evidence."""
    for s, e in spans:
        inside = [m for m in mentions if m.start < e and m.end > s and m.placetype != "country"]
        if inside:
            return inside[0]
    for s, _e in spans:
        for sent in sentences:
            if sent.start <= s < sent.end:
                inside = [m for m in mentions if sent.start <= m.start < sent.end]
                if inside:
                    return min(inside, key=lambda m: (m.placetype == "country", m.start))
    if spans:
        before = [m for m in mentions if m.start < spans[0][0]]
        if before:
            return before[-1]
    return mentions[0] if mentions else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=REPO.parent / "shared" / "data" / "dev" / "gold.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    total = hits = oracle = 0
    for line in args.gold.open(encoding="utf-8"):
        doc = json.loads(line)
        text = doc["text"]
        norm, starts, _ = normalize(text)
        mentions = find_places(norm)
        sentences = split_sentences(norm)
        for ev in doc["events"]:
            gold = ev["location"]
            spans = []
            for evid in ev.get("evidence", []):
                pos = text.find(evid)
                if pos >= 0:
                    spans.append(norm_span(starts, pos, pos + len(evid)))
            m = pick(mentions, spans, sentences)
            ok = correct(m, gold)
            any_ok = ok or any(correct(x, gold) for x in mentions for s, e in spans if x.start < e and x.end > s)
            total += 1
            hits += ok
            oracle += any_ok
            if args.verbose and not ok:
                got = f"{norm[m.start:m.end]} -> {m.name} {m.country}/{m.admin1} ({m.lat:.2f},{m.lon:.2f}) p{m.geo_precision}" \
                    if m else "none"
                print(f"[{doc['doc_id'][:28]}] gold {gold.get('text')} {gold.get('name')} p{gold.get('geo_precision')}"
                      f" | got {got}{' | oracle ok' if any_ok else ''}")
    print(f"location accuracy: {hits}/{total} = {hits / max(total, 1):.3f}; oracle (some mention in evidence right): "
          f"{oracle}/{total} = {oracle / max(total, 1):.3f}")


if __name__ == "__main__":
    main()
