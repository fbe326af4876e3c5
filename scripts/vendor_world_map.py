"""Build src/kibaru/serve/static/world-110m.svg from world-atlas's countries-110m.json.

world-atlas 2.0.2 (npm, ISC licence, Natural Earth data in the public domain):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/vendor_world_map.py package/countries-110m.json

Equirectangular projection: x = longitude, y = -latitude (viewBox -180 -90 360 180), so the
map page places events with no projection code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

OUT = Path(__file__).resolve().parents[1] / "src/kibaru/serve/static/world-110m.svg"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (quantized, delta-encoded in TopoJSON)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The points of one ring made of arcs (~i: arc i reversed)."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def path_data(geometry: dict, arcs: list[list[tuple[float, float]]]) -> str:
    """SVG path data of a Polygon or MultiPolygon."""
    polygons = ([geometry["arcs"]] if geometry["type"] == "Polygon"
                else geometry["arcs"] if geometry["type"] == "MultiPolygon" else [])
    parts = []
    for polygon in polygons:
        for r in polygon:
            pts = ring(r, arcs)
            # a ring crossing the antimeridian (Russia, Fiji) jumps across the map: start a
            # new sub-path at the jump instead of drawing a line over the whole world
            out = ""
            for i, (x, y) in enumerate(pts):
                jump = i > 0 and abs(x - pts[i - 1][0]) > 180
                out += ("M" if i == 0 or jump else "L") + f"{x:.1f},{-y:.1f}"
            crossing = any(abs(b[0] - a[0]) > 180 for a, b in zip(pts, pts[1:]))
            parts.append(out + ("" if crossing else "Z"))
    return "".join(parts)


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    paths = []
    for geom in topo["objects"]["countries"]["geometries"]:
        d = path_data(geom, arcs)
        if d:
            name = (geom.get("properties") or {}).get("name", "")
            paths.append(f'<path class="country" data-name={quoteattr(name)} d="{d}"/>')
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180">'
           '<!-- Natural Earth 1:110m countries (public domain) via world-atlas 2.0.2 (ISC), '
           'see world-110m.LICENSE.txt -->'
           '<rect x="-180" y="-90" width="360" height="180" fill="#dce9f2"/>'
           '<g fill="#f4f1ea" stroke="#9a9a9a" stroke-width="0.15">' + "".join(paths)
           + "</g></svg>\n")
    OUT.write_text(svg, encoding="utf-8")
    print(f"{OUT}: {len(paths)} countries, {len(svg)} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
