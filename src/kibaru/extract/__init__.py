"""Extract stage: triggers, arguments, quantities, dates, attribution and status → drafts."""

from __future__ import annotations

from .draft import DateDraft, EventDraft, PartyDraft, PlaceDraft, QuantityDraft
from .events import extract_block
from .parties import BlockView, DocMemory

__all__ = ["BlockView", "DocMemory", "extract_block", "EventDraft", "PartyDraft", "PlaceDraft",
           "DateDraft", "QuantityDraft"]
