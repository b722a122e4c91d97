"""What a search returns: one page of hits, the total, the facets, how it was ordered."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Hit:
    document_id: str
    score: float | None  # None when listed by date (a query of filters only)
    snippet: str  # safe HTML: escaped text, matches in <mark>
    title: str
    efile: str | None  # Aktenzeichen; None while the document waits in the inbox
    person: str | None
    page: int  # the page the snippet comes from (1-based)
    doc_type: str
    type_name: str
    date: str | None  # ISO: the document's date (printed, else received)
    status: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FacetValue:
    value: str | int
    label: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    # every document matching the query that the user may read; when total_exact is False,
    # a lower bound: there are more than `total` (see window.py)
    total: int
    total_exact: bool
    limit: int
    offset: int
    # relevance | newest first | relevance among the newest N, then newest first
    order: str
    # counts by type and year over the same set (over the newest `total` when not exact)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def next_offset(self) -> int | None:
        nxt = self.offset + len(self.hits)
        if not self.hits:
            return None
        more = nxt < self.total if self.total_exact else len(self.hits) == self.limit
        return nxt if more else None

    def to_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "total_exact": self.total_exact,
                "limit": self.limit,
                "offset": self.offset, "next_offset": self.next_offset, "order": self.order,
                "hits": [h.to_dict() for h in self.hits],
                "facets": {k: [asdict(v) for v in vs] for k, vs in self.facets.items()}}
