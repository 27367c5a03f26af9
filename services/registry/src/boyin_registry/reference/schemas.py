"""From reference data to the registry's API models."""

from __future__ import annotations

from boyin_registry.reference.domain import Named, Reference
from boyin_shared.api.registry import Criterion, CriterionOut, NamedOut, TaxonomyOut
from boyin_shared.api.registry.names import CriterionInfo


def named_out(n: Named) -> NamedOut:
    return NamedOut(code=n.code, zh=n.zh, en=n.en, kind=n.kind)


def criterion_out(c: Criterion, info: CriterionInfo) -> CriterionOut:
    return CriterionOut(code=c.value, side=info.claimant.value, zh=info.zh, en=info.en)


def taxonomy_out(ref: Reference) -> TaxonomyOut:
    """Every code, retired ones included (``kind: retired``), with the taxonomy's version."""
    return TaxonomyOut(
        version=ref.taxonomy_version,
        nodes=[
            NamedOut(code=n.code, zh=n.zh, en=n.en, kind=n.kind or "active", parent=n.parent)
            for n in ref.taxonomy.values()
        ],
    )
