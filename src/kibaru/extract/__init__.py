"""Extract stage: triggers, arguments, quantities, dates, attribution and status → drafts."""

from __future__ import annotations

from .draft import DateDraft, EventDraft, PartyDraft, PlaceDraft, QuantityDraft
from .events import extract_block, subject_pass
from .parties import BlockView, DocMemory, note_mentions
from .prefilter import TriggerPrefilter

__all__ = ["BlockView", "DocMemory", "extract_block", "subject_pass", "note_mentions",
           "TriggerPrefilter", "EventDraft", "PartyDraft", "PlaceDraft",
           "DateDraft", "QuantityDraft"]
