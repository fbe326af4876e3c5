"""Table cells for events in the terminal, shared by ``kibaru extract --format table`` and
``kibaru events``. They take CONTRACT.md event objects (``Event.to_dict()``, or rows read back
from the store) and return rich markup, escaped where it holds text from the article."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

__all__ = ["party_cell", "quantities_cell", "excerpt", "kind_cell", "where_cell",
           "status_cell"]


def party_cell(p: dict[str, Any] | None) -> str:
    """``"Russia (RUS/GOV)"``; ``—`` for no party (plain text, not escaped)."""
    if not p:
        return "—"
    code = "/".join(x for x in (p.get("country"), p.get("sector")) if x)
    name = p.get("name") or p.get("text") or ""
    return f"{name} ({code})" if code else str(name)


def quantities_cell(event: dict[str, Any]) -> str:
    """One line per quantity: ``≥~10 morts (killed)``, ``25 000 t blé (amount)`` (plain)."""
    parts = []
    for q in event.get("quantities") or []:
        value = float(q["value"])
        number = f"{value:,.0f}".replace(",", " ") if value.is_integer() else f"{value:g}"
        bound = {"at_least": "≥", "at_most": "≤"}.get(q.get("bound") or "", "")
        approx = "~" if q.get("approximate") else ""
        unit = f" {q['unit']}" if q.get("unit") else ""
        item = f" {q['item']}" if q.get("item") else ""
        parts.append(f"{bound}{approx}{number}{unit}{item} ({q['kind']})")
    return "\n".join(parts) or "—"


def excerpt(event: dict[str, Any], width: int = 180) -> str:
    """The evidence, cut to ``width`` characters around the trigger (plain text)."""
    evidence, trigger = event["evidence"], event["trigger"]
    text = evidence["text"]
    if len(text) <= width:
        return str(text)
    t0 = trigger["start"] - evidence["start"]
    lo = max(0, min(t0 - width // 3, len(text) - width))
    return ("…" if lo > 0 else "") + text[lo:lo + width] + ("…" if lo + width < len(text) else "")


def kind_cell(event: dict[str, Any]) -> str:
    """Type (bold) and mode, ACLED sub-event type below (markup)."""
    kind = f"[bold]{event.get('type') or event.get('category') or '?'}[/bold]"
    if event.get("mode"):
        kind += f" {event['mode']}"
    if event.get("acled"):
        kind += f"\n[dim]{escape(event['acled']['sub_event_type'])}[/dim]"
    return kind


def where_cell(event: dict[str, Any]) -> str:
    """Place name with its country and GeoNames id, or "(unresolved)" (markup)."""
    loc = event.get("location")
    if not loc:
        return "—"
    gid = loc.get("geonames_id")
    return escape(str(loc.get("name"))) + (
        f" [dim]({loc.get('country')}, {gid})[/dim]" if gid else " [dim](unresolved)[/dim]")


def status_cell(event: dict[str, Any]) -> str:
    """Status, with the attributed source below (markup)."""
    att = event.get("attribution") or {}
    source = att.get("name") or att.get("text") or ""
    return str(event["status"]) + (f"\n[dim]{escape(source)}[/dim]" if source else "")
