"""Gazetteer coverage over a news corpus: how many place mentions rasd resolves, at which precision, and
which place-like names it misses (`make gazetteer-report`).

For every article: normalise, run the geoparser (`rasd.places.find_places`, with the country hint the
pipeline reads from the text) and count the mentions by
ACLED geo_precision, UCDP where_prec and placetype. Then list the most frequent *unresolved* names: the
word (two for compound names such as "تل X", "كفر X", "دير X"; plus a trailing adjective such as
"الجديدة") right after a locative cue (مدينة، بلدة، قرية، محافظة، منطقة، حي، ريف، مخيم...) that no
mention covers. A name after the bare preposition "في" counts only when the same name is also seen after
a place noun somewhere in the corpus ("في الوقت" is not a place; "في X" adds to a village seen as
"قرية X"). The list is what to add to `src/rasd/lexicons/places_curated.tsv`.

Usage: python scripts/gazetteer_report.py [CORPUS.jsonl.gz] [--limit N] [--top 50] [--jobs 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from rasd.actors import country_of_text
from rasd.places import find_places, load_gazetteer
from rasd.text.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus" / "arabic-news-2013.jsonl.gz"

# place nouns (normalised; with the proclitics و ف ب ل and the article where natural)
PLACE_NOUNS = ("مدينه", "بلده", "قريه", "محافظه", "منطقه", "حي", "ريف", "مخيم", "ناحيه", "مديريه", "قضاء",
               "ولايه", "جبل", "بلدات", "قري", "مدينتي", "بلدتي", "مدن", "احياء")
_CUE = re.compile(r"(?<!\w)(?:[وفبل]|وب|وفي )?(" + "|".join(PLACE_NOUNS) + r"|في)\s+")
_WORD = re.compile(r"[^\W\d_]+")
# first words of compound names: the name is two words
COMPOUND_HEADS = frozenset({
    "ابو", "ام", "عين", "تل", "دير", "كفر", "خان", "بيت", "بني", "جبل", "راس", "بير", "بئر", "سيدي", "مرج", "وادي",
    "جسر", "سوق", "دار", "باب", "قصر", "عزبه", "كوم", "نجع", "ميت", "منشيه", "حمام", "برج", "مزرعه", "عرب",
    "شيخ", "الشيخ", "اولاد", "بلاد", "ذي", "ذو", "بنت", "بن", "الشرق", "مدينه", "الانتاج",
})
TRAILING_ADJ = frozenset({"الجديده", "القديمه", "الكبري", "الصغري", "الشرقيه", "الغربيه", "الشماليه", "الجنوبيه",
                          "الفوقاني", "التحتاني", "العليا", "السفلي", "الشرقي", "الغربي", "الشمالي", "الجنوبي"})
# words after a cue that are not names (generic nouns and determiners)
NOT_NAMES = frozenset({
    "ال", "هذه", "هذا", "تلك", "ذلك", "كل", "عده", "بعض", "اي", "غير", "نفس", "مختلف", "جميع", "معظم", "اكثر", "شتي",
    "عدد", "وقت", "الوقت", "حين", "حال", "اطار", "ظل", "ضوء", "سياق", "مجال", "حاله", "ما", "التي", "الذي",
    # institutions and generic places ("مديرية أمن الغربية", "منطقة السوق", "حي الكورنيش" is a street)
    "امن", "الامن", "الحادث", "السوق", "مدينه", "الاشتباكات", "مركز", "المركز", "وسط", "المحافظه", "المدينه",
    "اخري", "محطه", "الصحه", "الطب", "التموين", "البضايع", "المستقبل", "الذكري", "المخدرات", "مبني", "اول",
    "الظهر", "التربيه", "التعليم", "ورش", "الكورنيش", "كورنيش", "الميدان", "العزبه", "القريه", "البلده",
    "المنطقه", "الحي", "الاوقاف", "الزراعه", "الشباب", "الرياضه", "الاسكان", "الكهرباء", "المياه", "الداخليه",
    "الخارجيه", "العمل", "النقل", "المرور", "الطرق", "الري", "البحث", "التحقيقات", "النيابه", "المحكمه",
    "ذكري", "عام", "مجلس", "العاصمه", "البلاد", "الدوله", "الحكومه", "اليوم", "يوم", "الشوارع", "الاحداث",
})


MIN_AFTER_NOUN = 3
MIN_NOUN_SHARE = 0.15


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """Cue words (مدينة، شمال، شارع...) are not names: "منطقة شمال X" names X."""
    from rasd.places.geoparse import load_cues

    cues = load_cues()
    return frozenset(w for k in (*cues.kinds, *cues.suffixes) for w in k)


def _name_at(norm: str, pos: int) -> tuple[int, int] | None:
    """Span of the name that starts at pos (one word, two for compounds, plus a trailing adjective)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(norm, pos, min(len(norm), pos + 60))][:3]
    if not words or words[0][0] != pos:
        return None
    first = norm[words[0][0]:words[0][1]]
    if len(first) < 3 or first in NOT_NAMES or first in _cue_words() or first.removeprefix("ال") in _cue_words() \
            or (first.endswith("يه") and not first.startswith("ال")):
        return None  # "منطقة عسكرية", "منطقة سكنية": an adjective, not a name
    end = words[0][1]
    k = 1
    if first in COMPOUND_HEADS and len(words) > 1 and norm[end:words[1][0]] == " ":
        end = words[1][1]
        k = 2
    if len(words) > k and norm[end:words[k][0]] == " " and norm[words[k][0]:words[k][1]] in TRAILING_ADJ:
        end = words[k][1]
    return pos, end


def scan(text: str) -> tuple[Counter, Counter, Counter, Counter, Counter, int]:
    """One article: (geo_precision, where_prec, placetype counts, unresolved names after a place noun,
    unresolved names after "في", mentions)."""
    norm = normalize(text)[0]
    mentions = find_places(norm, country_hint=country_of_text(norm))  # the hint the pipeline passes
    gp, wp, pt = Counter(), Counter(), Counter()
    for m in mentions:
        gp[m.geo_precision] += 1
        wp[m.where_prec] += 1
        pt[m.placetype] += 1
    covered = bytearray(len(norm) + 1)
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)  # a merged "X جنوب Y" covers Y too
    noun_names, fi_names = Counter(), Counter()
    for cue in _CUE.finditer(norm):
        span = _name_at(norm, cue.end())
        if span is None or covered.find(1, span[0], span[1]) >= 0:
            continue
        name = norm[span[0]:span[1]]
        if cue.group(1) == "في":
            fi_names[name] += 1
        else:
            noun_names[name] += 1
    return gp, wp, pt, noun_names, fi_names, len(mentions)


def _scan_many(texts: list[str]) -> tuple[Counter, Counter, Counter, Counter, Counter, int]:
    load_gazetteer()
    totals = [Counter() for _ in range(5)]
    n = 0
    for text in texts:
        *counters, k = scan(text)
        for t, c in zip(totals, counters, strict=True):
            t.update(c)
        n += k
    return (*totals, n)


def _batches(path: Path, limit: int | None, size: int = 500):
    batch: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            batch.append(json.loads(line).get("text") or "")
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def report(path: Path, limit: int | None = None, top: int = 50, jobs: int = 2) -> dict:
    t0 = time.perf_counter()
    gp, wp, pt, noun, fi = (Counter() for _ in range(5))
    mentions = articles = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for batch, res in zip(_batches(path, limit), pool.map(_scan_many, _batches(path, limit)), strict=False):
            articles += len(batch)
            for total, c in zip((gp, wp, pt, noun, fi), res[:5], strict=True):
                total.update(c)
            mentions += res[5]
    unresolved = Counter()
    for name, n in noun.items():
        total = n + fi.get(name, 0)
        # a place is named with a place noun now and then ("مدينة X"); "في عام", "في مجلس" almost never
        if n >= MIN_AFTER_NOUN and n / total >= MIN_NOUN_SHARE:
            unresolved[name] = total
    return {
        "corpus": path.name, "articles": articles, "seconds": round(time.perf_counter() - t0, 1),
        "mentions": mentions, "mentions_per_article": round(mentions / max(articles, 1), 2),
        "geo_precision": dict(sorted(gp.items())), "where_prec": dict(sorted(wp.items())),
        "placetype": dict(pt.most_common()),
        "unresolved_after_place_noun": sum(noun.values()),
        "qualifying_rule": f"name seen >= {MIN_AFTER_NOUN} times after a place noun, >= {MIN_NOUN_SHARE:.0%} of its cue occurrences",
        "unresolved_top": [{"name": k, "count": v, "after_place_noun": noun.get(k, 0), "in_gazetteer": _known(k)}
                           for k, v in unresolved.most_common(top)],
    }


def _known(name: str) -> bool:
    """The name is in the gazetteer (so the precision gate, not a missing entry, left it unresolved)."""
    matcher = load_gazetteer().matcher
    return any(i >= 0 for key in (name, "ال" + name) for i in matcher.payloads(key))


def print_report(r: dict, out=sys.stdout) -> None:
    w = out.write
    w(f"gazetteer report: {r['corpus']}, {r['articles']} articles in {r['seconds']} s\n")
    w(f"resolved place mentions: {r['mentions']} ({r['mentions_per_article']} per article)\n")
    total = max(r["mentions"], 1)
    w("ACLED geo_precision: " + ", ".join(f"{k}: {v} ({100 * v / total:.1f}%)" for k, v in r["geo_precision"].items()) + "\n")
    w("UCDP where_prec:     " + ", ".join(f"{k}: {v} ({100 * v / total:.1f}%)" for k, v in r["where_prec"].items()) + "\n")
    w("placetype:           " + ", ".join(f"{k}: {v}" for k, v in r["placetype"].items()) + "\n")
    w(f"unresolved names after a place noun: {r['unresolved_after_place_noun']}\n")
    w(f"{len(r['unresolved_top'])} most frequent unresolved names (count; of which after a place noun; "
      "* = in the gazetteer, left out by the precision gate in those contexts):\n")
    for i, row in enumerate(r["unresolved_top"], 1):
        w(f"{i:3d}. {row['name']}{' *' if row.get('in_gazetteer') else ''}\t{row['count']}\t{row['after_place_noun']}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="also write the report as JSON")
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus} (it lives in ../shared/data/corpus)")
    r = report(args.corpus, args.limit, args.top, args.jobs)
    print_report(r)
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
