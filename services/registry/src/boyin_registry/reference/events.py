"""From a change of the taxonomy to its integration event."""

from __future__ import annotations

from boyin_registry.reference.domain import Named
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import TaxonomyChange, TaxonomyChanged


def taxonomy_event(node: Named, change: str, version: int) -> TaxonomyChanged:
    return TaxonomyChanged.create(
        subject=node.code,
        data=TaxonomyChange(
            code=node.code,
            parent=node.parent,
            name=LocalizedText(zh=node.zh, en=node.en),
            change=change,
            version=version,
        ),
        sequence=version,
    )
