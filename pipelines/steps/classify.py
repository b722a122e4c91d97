"""Classify: what kind of document this is (classifiers/doctype.py: MRZ, rules, text model),
with the model the office trained last (efile/services/classification.py)."""

from __future__ import annotations

from classifiers.doctype import Classification, classify, named
from efile.context import Context
from efile.services.classification import active_model

from .ocr import PageResult


def valid_mrz(pages: list[PageResult]) -> dict | None:
    zones = [p.mrz for p in pages if p.mrz and p.mrz.get("valid")]
    return zones[0] if zones else None


def classify_document(ctx: Context, pages: list[PageResult], *,
                      explicit: str | None = None) -> Classification:
    if explicit:  # a person named the type (a cover sheet): no guess overrides that
        return named(explicit, "named on the cover sheet")
    return classify([p.text for p in pages], mrz=valid_mrz(pages), model=active_model(ctx))
