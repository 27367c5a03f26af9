"""Matching's own copy of what it needs from the registry (a read model fed by events)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


@dataclass(frozen=True)
class Counterpart:
    """A registered party that can be matched: an organisation or a talent."""

    id: str
    kind: str  # "organisation" | "talent"
    name_zh: str | None
    name_en: str | None
    district_code: str | None
    taxonomy_codes: tuple[str, ...]
    revision: int
    degree: str | None = None


@dataclass(frozen=True)
class DistrictSupply:
    """How many organisations of a district are in the pool (for exposure balancing)."""

    id: str  # district code
    organisations: int

    def plus_one(self) -> DistrictSupply:
        return replace(self, organisations=self.organisations + 1)


def _counterpart_state(c: Counterpart) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "name_zh": c.name_zh,
        "name_en": c.name_en,
        "district_code": c.district_code,
        "taxonomy_codes": list(c.taxonomy_codes),
        "revision": c.revision,
        "degree": c.degree,
    }


def _counterpart_from(doc: Document) -> Counterpart:
    return Counterpart(
        id=doc["_id"],
        kind=doc["kind"],
        name_zh=doc["name_zh"],
        name_en=doc["name_en"],
        district_code=doc["district_code"],
        taxonomy_codes=tuple(doc["taxonomy_codes"]),
        revision=doc["revision"],
        degree=doc.get("degree"),
    )


class Counterparts(AggregateRepository[Counterpart]):
    collection_name = "counterparts"
    indexes = (Index((("kind", 1), ("district_code", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=_counterpart_state, from_doc=_counterpart_from)


class DistrictSupplies(AggregateRepository[DistrictSupply]):
    collection_name = "district_supply"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store,
            outbox,
            to_state=lambda s: {"organisations": s.organisations},
            from_doc=lambda d: DistrictSupply(d["_id"], d["organisations"]),
        )

    async def all(self) -> list[DistrictSupply]:
        return [self.from_doc(d) for d in await self.collection.find(sort=[("_id", 1)])]
