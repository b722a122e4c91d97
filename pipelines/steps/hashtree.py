"""A Merkle hash tree over the items of a scan batch, so one seal protects them all.

Built as in RFC 6962 (Certificate Transparency): a leaf hashes 0x00 + its canonical JSON, an
inner node 0x01 + left + right, and an odd node is carried up unpaired, so no item can be
passed off as an inner node and no two trees over different lists share a root. A single
document can later prove it belongs to the sealed batch with log2(n) hashes (`proof`).
"""

from __future__ import annotations

import hashlib

from storage import canonical_json


def leaf_hash(item: dict) -> str:
    return hashlib.sha256(b"\x00" + canonical_json(item)).hexdigest()


def _node(left: str, right: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def root(leaves: list[str]) -> str:
    """The tree's root over leaf hashes in order (the hash of nothing for an empty list)."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = list(leaves)
    while len(level) > 1:
        nxt = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def proof(leaves: list[str], index: int) -> list[tuple[str, str]]:
    """The sibling hashes from leaf `index` up to the root, each with its side (L or R)."""
    path, level, i = [], list(leaves), index
    while len(level) > 1:
        sibling = i ^ 1
        if sibling < len(level):
            path.append(("L" if sibling < i else "R", level[sibling]))
        nxt = [_node(level[j], level[j + 1]) for j in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level, i = nxt, i // 2
    return path


def check_proof(leaf: str, path: list[tuple[str, str]], expected_root: str) -> bool:
    h = leaf
    for side, sibling in path:
        h = _node(sibling, h) if side == "L" else _node(h, sibling)
    return h == expected_root
