"""The document-type taxonomy: loaded from taxonomy.toml (one data file, German names), with
its patterns compiled once."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("taxonomy.toml")
OTHER = "other"


@dataclass(frozen=True)
class DocType:
    id: str
    name: str
    group: str
    description: str
    restricted: bool
    mrz_kinds: tuple[str, ...]
    forms: tuple[re.Pattern, ...]
    titles: tuple[re.Pattern, ...]
    keywords: tuple[re.Pattern, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "group": self.group,
                "description": self.description, "restricted": self.restricted}


@dataclass(frozen=True)
class Taxonomy:
    types: tuple[DocType, ...]
    digest: str  # changes when the file does: a model trained on another taxonomy is stale

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.types]

    def get(self, type_id: str) -> DocType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)

    def __contains__(self, type_id: object) -> bool:
        return any(t.id == type_id for t in self.types)


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern, ...]:
    out = []
    for p in patterns:
        try:
            # from a word's start ("attest" must not fire inside "bestaetigt"); German
            # inflects and compounds at the end ("Bundesmeldegesetzes"), so the end is open
            out.append(re.compile(rf"(?<!\w){p}", re.I))
        except re.error as e:
            raise ValueError(f"taxonomy {where}: bad pattern {p!r}: {e}") from e
    return tuple(out)


def parse(data: bytes, source: str = "taxonomy") -> Taxonomy:
    raw = tomllib.loads(data.decode())
    types, seen = [], set()
    for entry in raw.get("type", []):
        tid = entry["id"]
        if tid in seen:
            raise ValueError(f"{source}: type {tid} defined twice")
        seen.add(tid)
        types.append(DocType(
            id=tid, name=entry["name"], group=entry.get("group", "Sonstiges"),
            description=entry.get("description", ""), restricted=bool(entry.get("restricted")),
            mrz_kinds=tuple(entry.get("mrz_kinds", ())),
            forms=_compile(entry.get("forms", []), f"{tid}.forms"),
            titles=_compile(entry.get("titles", []), f"{tid}.titles"),
            keywords=_compile(entry.get("keywords", []), f"{tid}.keywords"),
        ))
    if OTHER not in seen:
        raise ValueError(f"{source}: the catch-all type '{OTHER}' is missing")
    return Taxonomy(tuple(types), hashlib.sha256(data).hexdigest()[:16])


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Taxonomy:
    p = Path(path) if path else DEFAULT_PATH
    return parse(p.read_bytes(), str(p))
