"""Build the offline base map the web page draws: simplified ADM1 and country outlines.

Why: the page must work with no network, so the outlines ship inside the package. The Who's On
First boundaries in ../shared are simplified (Douglas-Peucker) and rounded so the file stays small.

    python scripts/build_map.py [--src ../shared/data/gazetteer/boundaries-admin1.geojson]
                                [--out src/rasd/web/static/admin1.geojson] [--tolerance 0.01]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO.parent / "shared" / "data" / "gazetteer" / "boundaries-admin1.geojson"
OUT = REPO / "src" / "rasd" / "web" / "static" / "admin1.geojson"
ARABIC = re.compile(r"[\u0621-\u064A]")

Point = tuple[float, float]


def _dist(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b (degrees; fine for simplification)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, iterative (rings can have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, index = 0.0, -1
        for k in range(i + 1, j):
            d = _dist(points[k], points[i], points[j])
            if d > best:
                best, index = d, k
        if best > tol and index > 0:
            keep[index] = True
            stack += [(i, index), (index, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring(coords: list, tol: float, digits: int) -> list | None:
    pts = simplify([(float(x), float(y)) for x, y, *_ in coords], tol)
    out: list[list[float]] = []
    for x, y in pts:
        q = [round(x, digits), round(y, digits)]
        if not out or out[-1] != q:
            out.append(q)
    return out if len(out) >= 4 else None


def build(src: Path, out: Path, tol: float, digits: int = 3) -> dict:
    data = json.loads(src.read_text(encoding="utf-8"))
    features = []
    for f in data["features"]:
        geom = f.get("geometry") or {}
        polys = geom["coordinates"] if geom.get("type") == "MultiPolygon" else [geom.get("coordinates") or []]
        new_polys = []
        for poly in polys:
            rings = [r for r in (ring(r, tol, digits) for r in poly) if r]
            if rings:
                new_polys.append(rings[:1] + rings[1:])
        if not new_polys:
            continue
        props = f.get("properties") or {}
        names_ar = props.get("name_ar") or []
        if isinstance(names_ar, str):
            names_ar = [names_ar]
        name_ar = next((n for n in names_ar if ARABIC.search(n)), None)
        features.append({
            "type": "Feature",
            "properties": {"name": props.get("name"), "name_ar": name_ar, "country": props.get("country"),
                           "placetype": props.get("placetype")},
            "geometry": {"type": "MultiPolygon", "coordinates": new_polys},
        })
    result = {"type": "FeatureCollection",
              "attribution": "Boundaries: Who's On First (CC-BY), simplified by scripts/build_map.py",
              "features": features}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--tolerance", type=float, default=0.01, help="degrees (0.01 ≈ 1 km)")
    args = ap.parse_args()
    if not args.src.exists():
        raise SystemExit(f"boundaries not found: {args.src} (needs ../shared)")
    result = build(args.src, args.out, args.tolerance)
    print(f"{args.out}: {len(result['features'])} outlines, {args.out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
