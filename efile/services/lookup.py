"""Finding a record by the id a person types: the whole id or, like git, an unambiguous
prefix of at least six characters."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Ambiguous, NotFound

T = TypeVar("T")
MIN_PREFIX = 6


def by_id(session: Session, model: type[T], ref: str, what: str) -> T:
    ref = ref.strip().lower()
    found = session.get(model, ref)
    if found is not None:
        return found
    if len(ref) >= MIN_PREFIX:
        rows = list(session.scalars(select(model).where(model.id.like(f"{ref}%")).limit(2)))
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise Ambiguous(f"{what} id prefix {ref} is ambiguous")
    raise NotFound(f"no {what} {ref}")
