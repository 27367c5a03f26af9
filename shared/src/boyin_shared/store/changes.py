"""Apply an :class:`Update` to a document in Python (the SQLite adapter's semantics)."""

from __future__ import annotations

import copy
from typing import Any

from boyin_shared.store.port import Document, Update


def _parent(doc: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    *parents, leaf = path.split(".")
    node = doc
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    return node, leaf


def apply(doc: Document, change: Update) -> Document:
    out = copy.deepcopy(doc)
    for path, value in change.set.items():
        node, leaf = _parent(out, path)
        node[leaf] = copy.deepcopy(value)
    for path, amount in change.inc.items():
        node, leaf = _parent(out, path)
        node[leaf] = (node.get(leaf) or 0) + amount
    for path, items in change.push.items():
        node, leaf = _parent(out, path)
        node[leaf] = [*(node.get(leaf) or []), *copy.deepcopy(list(items))]
    for path, values in change.pull.items():
        node, leaf = _parent(out, path)
        node[leaf] = [item for item in node.get(leaf) or [] if item not in values]
    if change.bump_rev:
        out["_rev"] = int(out.get("_rev", 0)) + 1
    return out
