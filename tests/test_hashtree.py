"""The batch hash tree: every leaf proves its place under the root; any change moves the root."""

import pytest

from pipelines.steps.hashtree import check_proof, leaf_hash, proof, root

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)


@pytest.mark.parametrize("n", range(1, 10))
def test_every_leaf_proves_membership_and_nothing_else_does(n):
    items = [{"kind": "document", "seq": i, "archive_sha256": f"{i:064x}"} for i in range(n)]
    leaves = [leaf_hash(i) for i in items]
    top = root(leaves)
    for i, leaf in enumerate(leaves):
        path = proof(leaves, i)
        assert check_proof(leaf, path, top)
        assert len(path) <= max(1, (n - 1).bit_length())
        forged = leaf_hash({**items[i], "archive_sha256": "f" * 64})
        assert not check_proof(forged, path, top)


def test_order_count_and_content_change_the_root():
    leaves = [leaf_hash({"n": i}) for i in range(5)]
    assert root(leaves) != root(leaves[::-1])
    assert root(leaves) != root(leaves[:4])
    assert root(leaves) != root([*leaves[:4], leaf_hash({"n": 5})])
    # an inner node can never pass for a leaf (0x00 / 0x01 prefixes)
    assert root(leaves[:2]) not in leaves
