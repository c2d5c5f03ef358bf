"""Writing clusters in the formats analysts load: ACLED CSV, UCDP GED-like CSV, GeoJSON, Parquet, JSONL.

Each cluster (see `rasd.cluster.cluster_events`) is one canonical event, so each becomes one row. The
ACLED and UCDP files use those datasets' column names and codes, so a file from rasd can be appended
to, or compared with, a download from them; what the datasets have no column for (each source's own
figures, denials) goes into `notes`/`tags` as text and stays complete in the JSONL and Parquet output.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

FORMATS = ("acled-csv", "ucdp-csv", "geojson", "parquet", "jsonl")

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

UCDP_COLUMNS = [
    "id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "source_article", "source_office", "where_prec", "where_coordinates", "latitude", "longitude",
    "country", "adm_1", "adm_2", "date_start", "date_end", "date_prec", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low",
]

# ISO 3166-1 alpha-2, alpha-3, numeric, the country name as ACLED spells it, ACLED region.
_COUNTRIES_TSV = """\
YE	YEM	887	Yemen	Middle East
IQ	IRQ	368	Iraq	Middle East
SY	SYR	760	Syria	Middle East
SA	SAU	682	Saudi Arabia	Middle East
LB	LBN	422	Lebanon	Middle East
PS	PSE	275	Palestine	Middle East
IL	ISR	376	Israel	Middle East
JO	JOR	400	Jordan	Middle East
IR	IRN	364	Iran	Middle East
TR	TUR	792	Turkey	Middle East
AE	ARE	784	United Arab Emirates	Middle East
QA	QAT	634	Qatar	Middle East
KW	KWT	414	Kuwait	Middle East
BH	BHR	48	Bahrain	Middle East
OM	OMN	512	Oman	Middle East
EG	EGY	818	Egypt	Northern Africa
LY	LBY	434	Libya	Northern Africa
TN	TUN	788	Tunisia	Northern Africa
DZ	DZA	12	Algeria	Northern Africa
MA	MAR	504	Morocco	Northern Africa
EH	ESH	732	Western Sahara	Northern Africa
SD	SDN	729	Sudan	Northern Africa
SS	SSD	728	South Sudan	Eastern Africa
SO	SOM	706	Somalia	Eastern Africa
DJ	DJI	262	Djibouti	Eastern Africa
ER	ERI	232	Eritrea	Eastern Africa
ET	ETH	231	Ethiopia	Eastern Africa
KE	KEN	404	Kenya	Eastern Africa
UG	UGA	800	Uganda	Eastern Africa
TZ	TZA	834	Tanzania	Eastern Africa
RW	RWA	646	Rwanda	Eastern Africa
BI	BDI	108	Burundi	Eastern Africa
MZ	MOZ	508	Mozambique	Southern Africa
ZA	ZAF	710	South Africa	Southern Africa
ZW	ZWE	716	Zimbabwe	Southern Africa
TD	TCD	148	Chad	Middle Africa
CF	CAF	140	Central African Republic	Middle Africa
CM	CMR	120	Cameroon	Middle Africa
CD	COD	180	Democratic Republic of Congo	Middle Africa
CG	COG	178	Republic of Congo	Middle Africa
AO	AGO	24	Angola	Middle Africa
MR	MRT	478	Mauritania	Western Africa
ML	MLI	466	Mali	Western Africa
NE	NER	562	Niger	Western Africa
NG	NGA	566	Nigeria	Western Africa
BF	BFA	854	Burkina Faso	Western Africa
SN	SEN	686	Senegal	Western Africa
AF	AFG	4	Afghanistan	South Asia
PK	PAK	586	Pakistan	South Asia
IN	IND	356	India	South Asia
BD	BGD	50	Bangladesh	South Asia
LK	LKA	144	Sri Lanka	South Asia
NP	NPL	524	Nepal	South Asia
AZ	AZE	31	Azerbaijan	Caucasus and Central Asia
AM	ARM	51	Armenia	Caucasus and Central Asia
GE	GEO	268	Georgia	Caucasus and Central Asia
KZ	KAZ	398	Kazakhstan	Caucasus and Central Asia
UZ	UZB	860	Uzbekistan	Caucasus and Central Asia
TJ	TJK	762	Tajikistan	Caucasus and Central Asia
KG	KGZ	417	Kyrgyzstan	Caucasus and Central Asia
TM	TKM	795	Turkmenistan	Caucasus and Central Asia
CN	CHN	156	China	East Asia
JP	JPN	392	Japan	East Asia
KR	KOR	410	South Korea	East Asia
KP	PRK	408	North Korea	East Asia
MM	MMR	104	Myanmar	Southeast Asia
PH	PHL	608	Philippines	Southeast Asia
ID	IDN	360	Indonesia	Southeast Asia
MY	MYS	458	Malaysia	Southeast Asia
TH	THA	764	Thailand	Southeast Asia
VN	VNM	704	Vietnam	Southeast Asia
RU	RUS	643	Russia	Europe
UA	UKR	804	Ukraine	Europe
GB	GBR	826	United Kingdom	Europe
FR	FRA	250	France	Europe
DE	DEU	276	Germany	Europe
IT	ITA	380	Italy	Europe
ES	ESP	724	Spain	Europe
BE	BEL	56	Belgium	Europe
NL	NLD	528	Netherlands	Europe
GR	GRC	300	Greece	Europe
CY	CYP	196	Cyprus	Europe
US	USA	840	United States	North America
CA	CAN	124	Canada	North America
MX	MEX	484	Mexico	Central America
BR	BRA	76	Brazil	South America
CO	COL	170	Colombia	South America
VE	VEN	862	Venezuela	South America
AU	AUS	36	Australia	Oceania
"""

COUNTRIES: dict[str, dict] = {}
for _line in _COUNTRIES_TSV.splitlines():
    _iso2, _iso3, _num, _name, _region = _line.split("\t")
    COUNTRIES[_iso2] = {"iso3": _iso3, "iso": int(_num), "name": _name, "region": _region}

# Where an outlet publishes from, for ACLED's source_scale ("Regional" = from the event's region).
# "pan-arab" outlets write for the whole Arab world: Regional for Middle East / North Africa events.
OUTLET_COUNTRY: dict[str, str] = {
    "alriyadh": "SA", "aljazirah": "SA", "aleqtisadiya": "SA", "okaz": "SA", "alyaum": "SA", "alwatan": "SA",
    "alweeam": "SA", "almadina": "SA", "sabq": "SA", "was": "SA", "arreyadi": "SA", "arriyadiyah": "SA",
    "aawsat": "pan-arab", "3alyoum": "pan-arab", "Al Jazeera": "pan-arab", "Al Arabiya": "pan-arab",
    "Al-Shorouk (Egypt)": "EG", "Al-Masry Al-Youm": "EG", "BBC Arabic": "GB", "CNN Arabic": "US",
}
ARAB_REGIONS = {"Middle East", "Northern Africa"}

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
CIVILIAN_GROUPS = {"civilians", "children", "women", "protesters", "journalists", "medics", "students"}


def country_info(code: str | None) -> dict:
    if not code:
        return {"iso3": "", "iso": "", "name": "", "region": ""}
    return COUNTRIES.get(code, {"iso3": code, "iso": "", "name": code, "region": ""})


def disorder_type(event_type: str, sub_event_type: str) -> str:
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Mob violence":
        return "Political violence"
    return DISORDER.get(event_type, "")


def _actor(cluster: dict, role: str) -> list[dict]:
    return [a for a in cluster.get("actors") or [] if a.get("role") == role]


def interaction(inter1: int | None, inter2: int | None) -> int | str:
    """ACLED's interaction code: the two inter codes, lower first (12); a lone actor gives 10, 20..."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return ""
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def source_scale(cluster: dict) -> str:
    here = country_info(cluster.get("country"))
    scales = []
    for outlet in cluster.get("outlets") or []:
        where = OUTLET_COUNTRY.get(outlet)
        if where is None:
            scale = "Other"
        elif where == cluster.get("country"):
            scale = "National"
        elif where == "pan-arab":
            scale = "Regional" if here["region"] in ARAB_REGIONS else "International"
        elif country_info(where)["region"] == here["region"] and here["region"]:
            scale = "Regional"
        else:
            scale = "International"
        if scale not in scales:
            scales.append(scale)
    order = ["Subnational", "National", "Regional", "International", "Other"]
    return "-".join(sorted(scales, key=order.index))


_NOUNS = {
    "Battles": "clashes", "Explosions/Remote violence": "attack", "Violence against civilians": "attack",
    "Protests": "protest", "Riots": "riot", "Strategic developments": "event",
}


def notes(cluster: dict) -> str:
    """An English summary in ACLED's style that names who reported what and who denied it."""
    sub = cluster.get("sub_event_type") or "event"
    sub = sub[:1].lower() + sub[1:]  # "remote explosive/landmine/IED", not "...ied"
    place = cluster.get("location") or "an unknown place"
    if cluster.get("admin1") and cluster.get("admin1") != place:
        place += f" ({cluster['admin1']})"
    country = country_info(cluster.get("country"))["name"]
    date = (cluster.get("date") or {}).get("start") or "an unknown date"
    a1 = ", ".join(a["name"] for a in _actor(cluster, "actor1"))
    a2 = ", ".join(a["name"] for a in _actor(cluster, "actor2"))
    if country and country != place:
        place += f", {country}"
    text = f"On {date}, {sub} in {place}"
    if a1 and a2:
        text += f": {a1} against {a2}"
    elif a1 or a2:
        text += f" involving {a1 or a2}"
    text += "."
    noun = _NOUNS.get(cluster.get("event_type") or "", "event")
    lines = [d.replace("denied the event", f"denied the {noun}") for d in cluster.get("disputes") or []]
    if lines:
        joined = "; ".join(lines)
        text += " " + joined[:1].upper() + joined[1:] + "."
    fat = cluster.get("fatalities") or {}
    if cluster.get("contested"):
        text += f" Fatalities contested (low {fat.get('low')}, high {fat.get('high')})."
    outlets = cluster.get("outlets") or []
    if len(outlets) > 1:
        text += f" Reported by {len(outlets)} outlets."
    return text


def acled_row(cluster: dict, timestamp: int) -> dict:
    info = country_info(cluster.get("country"))
    a1, a2 = _actor(cluster, "actor1"), _actor(cluster, "actor2")
    inter1 = a1[0].get("inter") if a1 else None
    inter2 = a2[0].get("inter") if a2 else None
    date = cluster.get("date") or {}
    fat = cluster.get("fatalities") or {}
    tags = []
    if cluster.get("contested"):
        tags.append("contested")
    if fat.get("best") is not None and (fat.get("low") != fat.get("best") or fat.get("high") != fat.get("best")):
        tags.append(f"fatalities low={fat.get('low')} high={fat.get('high')}")
    suffix = cluster["id"].lstrip("c").upper()
    return {
        "event_id_cnty": f"{info['iso3'] or 'XXX'}{suffix}",
        "event_date": date.get("start") or "",
        "year": (date.get("start") or "")[:4],
        "time_precision": date.get("time_precision") or "",
        "disorder_type": disorder_type(cluster.get("event_type") or "", cluster.get("sub_event_type") or ""),
        "event_type": cluster.get("event_type") or "",
        "sub_event_type": cluster.get("sub_event_type") or "",
        "actor1": a1[0]["name"] if a1 else "",
        "assoc_actor_1": "; ".join(a["name"] for a in _actor(cluster, "assoc_actor_1")),
        "inter1": inter1 or "",
        "actor2": a2[0]["name"] if a2 else "",
        "assoc_actor_2": "; ".join(a["name"] for a in _actor(cluster, "assoc_actor_2")),
        "inter2": inter2 or "",
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if cluster.get("civilian_targeting") else "",
        "iso": info["iso"],
        "region": info["region"],
        "country": info["name"],
        "admin1": cluster.get("admin1") or "",
        "admin2": cluster.get("admin2") or "",
        "admin3": cluster.get("admin3") or "",
        "location": cluster.get("location") or "",
        "latitude": cluster.get("lat") if cluster.get("lat") is not None else "",
        "longitude": cluster.get("lon") if cluster.get("lon") is not None else "",
        "geo_precision": cluster.get("geo_precision") or "",
        "source": "; ".join(cluster.get("outlets") or []),
        "source_scale": source_scale(cluster),
        "notes": notes(cluster),
        "fatalities": fat.get("best") or 0,
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def type_of_violence(cluster: dict) -> int | None:
    """UCDP: 1 state-based, 2 non-state, 3 one-sided (organised violence against civilians)."""
    if DISORDER.get(cluster.get("event_type") or "") != "Political violence":
        return None
    a1, a2 = _actor(cluster, "actor1"), _actor(cluster, "actor2")
    if cluster.get("event_type") == "Violence against civilians" or cluster.get("civilian_targeting"):
        return 3
    if a2 and a2[0].get("inter") == 7:
        return 3
    inters = {a.get("inter") for a in a1 + a2}
    if 1 in inters or 8 in inters or not inters:
        return 1
    return 2


def _group_deaths(cluster: dict) -> dict[str, int]:
    """Per victim group (and side), the most conservative best among asserting sources."""
    per: dict[tuple, int] = {}
    for c in cluster.get("claims") or []:
        if c.get("stance") != "asserts":
            continue
        for f in c.get("figures") or []:
            if f.get("kind") != "killed":
                continue
            key = (f.get("group") or "unknown", f.get("actor"))
            per[key] = min(per.get(key, f["best"]), f["best"])
    side_a = {a["id"] for a in _actor(cluster, "actor1") + _actor(cluster, "assoc_actor_1")}
    side_b = {a["id"] for a in _actor(cluster, "actor2") + _actor(cluster, "assoc_actor_2")}
    out = defaultdict(int)
    for (group, actor), n in per.items():
        if group in CIVILIAN_GROUPS:
            out["civilians"] += n
        elif actor and actor in side_a:
            out["a"] += n
        elif actor and actor in side_b:
            out["b"] += n
        elif group != "unknown":
            out["unknown"] += n
    return out


def ucdp_row(cluster: dict, titles: dict[str, str]) -> dict:
    info = country_info(cluster.get("country"))
    a1 = _actor(cluster, "actor1") + _actor(cluster, "assoc_actor_1")
    a2 = _actor(cluster, "actor2") + _actor(cluster, "assoc_actor_2")
    tov = type_of_violence(cluster)
    side_a = a1[0]["name"] if a1 else ""
    side_b = a2[0]["name"] if a2 else ("Civilians" if tov == 3 else "")
    date = cluster.get("date") or {}
    fat = cluster.get("fatalities") or {}
    best = fat.get("best") or 0
    deaths = _group_deaths(cluster)
    named = deaths["a"] + deaths["b"] + deaths["civilians"] + deaths["unknown"]
    unknown = deaths["unknown"] + max(0, best - named)
    conflict = f"{info['name']}: Government" if tov == 1 and a1 and a1[0].get("inter") == 1 and info["name"] else ""
    articles = [titles.get(d) or d for d in cluster.get("documents") or []]
    suffix = cluster["id"].lstrip("c")[:10]
    return {
        "id": cluster["id"],
        "relid": f"{info['iso3'] or 'XXX'}-{(date.get('start') or '')[:4]}-{suffix}",
        "year": (date.get("start") or "")[:4],
        "type_of_violence": tov or "",
        "conflict_name": conflict,
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "",
        "side_a": side_a,
        "side_b": side_b,
        "source_article": "; ".join(articles),
        "source_office": "; ".join(cluster.get("outlets") or []),
        "where_prec": cluster.get("where_prec") or "",
        "where_coordinates": cluster.get("location") or "",
        "latitude": cluster.get("lat") if cluster.get("lat") is not None else "",
        "longitude": cluster.get("lon") if cluster.get("lon") is not None else "",
        "country": info["name"],
        "adm_1": cluster.get("admin1") or "",
        "adm_2": cluster.get("admin2") or "",
        "date_start": date.get("start") or "",
        "date_end": date.get("end") or date.get("start") or "",
        "date_prec": date.get("date_prec") or "",
        "deaths_a": deaths["a"],
        "deaths_b": deaths["b"],
        "deaths_civilians": deaths["civilians"],
        "deaths_unknown": unknown,
        "best": best,
        "high": fat.get("high") if fat.get("high") is not None else best,
        "low": fat.get("low") if fat.get("low") is not None else best,
    }


def geojson(clusters: Iterable[dict]) -> dict:
    """A FeatureCollection of points (RFC 7946: [lon, lat]); a cluster with no coordinates has no geometry."""
    features = []
    for c in clusters:
        props = {k: v for k, v in c.items() if k not in ("claims", "lat", "lon")}
        props["notes"] = notes(c)
        geometry = None
        if c.get("lat") is not None and c.get("lon") is not None:
            geometry = {"type": "Point", "coordinates": [c["lon"], c["lat"]]}
        features.append({"type": "Feature", "id": c["id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _titles(events: Iterable[dict] | None) -> dict[str, str]:
    """Document id -> its title or URL, for UCDP's source_article (when the caller passes events/documents)."""
    out: dict[str, str] = {}
    for e in events or []:
        doc = e.get("doc") if isinstance(e.get("doc"), dict) else e
        doc_id = doc.get("id") or e.get("doc_id")
        label = doc.get("title") or doc.get("url")
        if doc_id and label:
            out[str(doc_id)] = label
    return out


def parquet_table(clusters: list[dict]):
    """Flat columns for the ACLED-like fields plus lists, with claims kept whole as JSON text."""
    import pyarrow as pa

    rows = []
    for c in clusters:
        fat = c.get("fatalities") or {}
        date = c.get("date") or {}
        rows.append({
            "id": c["id"], "event_type": c.get("event_type"), "sub_event_type": c.get("sub_event_type"),
            "date_start": date.get("start"), "date_end": date.get("end"),
            "country": c.get("country"), "admin1": c.get("admin1"), "admin2": c.get("admin2"),
            "location": c.get("location"), "lat": c.get("lat"), "lon": c.get("lon"),
            "geo_precision": c.get("geo_precision"),
            "members": list(c.get("members") or []), "documents": list(c.get("documents") or []),
            "outlets": list(c.get("outlets") or []),
            "actor_ids": [a["id"] for a in c.get("actors") or []],
            "fatalities_low": fat.get("low"), "fatalities_best": fat.get("best"), "fatalities_high": fat.get("high"),
            "contested": bool(c.get("contested")), "notes": notes(c),
            "actors_json": json.dumps(c.get("actors") or [], ensure_ascii=False),
            "claims_json": json.dumps(c.get("claims") or [], ensure_ascii=False),
        })
    schema = pa.schema([
        ("id", pa.string()), ("event_type", pa.string()), ("sub_event_type", pa.string()),
        ("date_start", pa.string()), ("date_end", pa.string()), ("country", pa.string()),
        ("admin1", pa.string()), ("admin2", pa.string()), ("location", pa.string()),
        ("lat", pa.float64()), ("lon", pa.float64()), ("geo_precision", pa.int8()),
        ("members", pa.list_(pa.string())), ("documents", pa.list_(pa.string())),
        ("outlets", pa.list_(pa.string())), ("actor_ids", pa.list_(pa.string())),
        ("fatalities_low", pa.int64()), ("fatalities_best", pa.int64()), ("fatalities_high", pa.int64()),
        ("contested", pa.bool_()), ("notes", pa.string()), ("actors_json", pa.string()), ("claims_json", pa.string()),
    ])
    return pa.Table.from_pylist(rows, schema=schema)


def write_export(
    fmt: str, clusters: list[dict], events: list[dict] | None, out: Path | str | TextIO,
    timestamp: int | None = None,
) -> int:
    """Write `clusters` as `fmt` to a path or an open text stream; return the number of records written.

    `events` (event or document dicts, optional) supply document titles/URLs for UCDP's source_article.
    `timestamp` (ACLED's last-modified unix time) defaults to now.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        if not isinstance(out, str | Path):
            raise ValueError("parquet is binary: give a file path with -o")
        pq.write_table(parquet_table(clusters), str(out))
        return len(clusters)
    buf = io.StringIO()
    count = len(clusters)
    if fmt == "acled-csv":
        ts = int(time.time()) if timestamp is None else timestamp
        writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for c in clusters:
            writer.writerow(acled_row(c, ts))
    elif fmt == "ucdp-csv":
        titles = _titles(events)
        writer = csv.DictWriter(buf, fieldnames=UCDP_COLUMNS, lineterminator="\n")
        writer.writeheader()
        count = 0
        for c in clusters:
            if type_of_violence(c) is None or not (c.get("fatalities") or {}).get("best"):
                continue  # UCDP GED codes only organised violence with at least one death
            writer.writerow(ucdp_row(c, titles))
            count += 1
    elif fmt == "geojson":
        json.dump(geojson(clusters), buf, ensure_ascii=False)
        buf.write("\n")
    else:
        for c in clusters:
            buf.write(json.dumps(c, ensure_ascii=False) + "\n")
    if isinstance(out, str | Path):
        Path(out).write_text(buf.getvalue(), encoding="utf-8")
    else:
        out.write(buf.getvalue())
    return count
