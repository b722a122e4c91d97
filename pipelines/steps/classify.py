"""Classify: what kind of document this is (classifiers/doctype.py: MRZ, rules, text model),
with the model the office trained last (efile/services/classification.py)."""

from __future__ import annotations

from classifiers.doctype import (
    Classification,
    against_named,
    classify,
    named,
    named_type_contradicted,
)

__all__ = ["classify_document", "named_type_contradicted", "valid_mrz"]
from efile.context import Context
from efile.services.classification import active_model

from .ocr import PageResult


def valid_mrz(pages: list[PageResult]) -> dict | None:
    zones = [p.mrz for p in pages if p.mrz and p.mrz.get("valid")]
    return zones[0] if zones else None


def classify_document(ctx: Context, pages: list[PageResult], *,
                      explicit: str | None = None) -> Classification:
    read = classify([p.text for p in pages], mrz=valid_mrz(pages), model=active_model(ctx))
    if explicit:  # a person named the type (a cover sheet): it stays, weighed against the page
        return against_named(named(explicit, "named on the cover sheet"), read)
    return read
