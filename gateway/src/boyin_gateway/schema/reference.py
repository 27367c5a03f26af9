"""GraphQL of the registry's reference data: districts, fair editions, eligibility criteria
and the industry taxonomy (which operators and administrators maintain)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError, sent
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.registry_enums import Claimant, Criterion
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    described_field,
    described_mutation,
)
from boyin_shared.api.registry import (
    CriterionOut,
    NamedOut,
    RenameIn,
    TaxonomyNodeIn,
    TaxonomyOut,
)

Info = strawberry.Info[Context, None]


def _name(root: strawberry.Parent[NamedOut | CriterionOut]) -> LocalizedText:
    return LocalizedText(zh=root.zh, en=root.en)


# District, Edition and TaxonomyNode all show the registry's NamedOut, which can back one
# derived type only, and none could place `name` where the schema has it: they are written
# by hand as views of NamedOut (the resolvers return the registry's answers themselves).


@strawberry.type(description="A district or county of Chongqing (GB/T 2260 code), or a zone.")
class District:
    code: str
    name: LocalizedText = strawberry.field(resolver=_name)
    #: e.g. district, county, zone
    kind: str


@strawberry.type(description="An edition of the fair a demand may be for.")
class Edition:
    code: str
    name: LocalizedText = strawberry.field(resolver=_name)


@derived(
    CriterionOut,
    name="EligibilityCriterion",
    description="A criterion a demand may claim (and staff confirm) to be eligible.",
    exclude=["zh", "en"],
)
class EligibilityCriterion:
    code: Criterion
    side: Claimant
    name: LocalizedText = strawberry.field(resolver=_name)


def _retired(root: strawberry.Parent[NamedOut]) -> bool:
    return root.kind == "retired"


@strawberry.type(
    description="A code of the industry taxonomy; retired codes stay on the "
    "demands that carry them but cannot be chosen again."
)
class TaxonomyNode:
    code: str
    parent: str | None
    name: LocalizedText = strawberry.field(resolver=_name)
    retired: bool = strawberry.field(resolver=_retired)


@derived(
    TaxonomyOut,
    name="Taxonomy",
    description="The whole taxonomy, retired codes included; every change bumps its version.",
)
class Taxonomy:
    nodes: list[TaxonomyNode]


@strawberry.type(description="A taxonomy code as a change left it, and the taxonomy's version.")
class TaxonomyCodeChanged:
    taxonomy_version: int
    node: TaxonomyNode


TaxonomyChangeResult = Annotated[
    TaxonomyCodeChanged | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("TaxonomyChangeResult"),
]


async def _changed(info: Info, code: str) -> TaxonomyChangeResult:
    """Read the taxonomy back: the registry answers a change with no body (what the
    gateway kept of the reference data is forgotten first)."""
    info.context.reference.changed()
    taxonomy = await info.context.reference.taxonomy(info.context.registry)
    node = next(n for n in taxonomy.nodes if n.code == code)
    return TaxonomyCodeChanged(taxonomy_version=taxonomy.version, node=shown_as(TaxonomyNode, node))


@strawberry.type
class ReferenceQuery:
    @described_field("Districts and counties of Chongqing.")
    async def districts(self, info: Info) -> list[District]:
        return [
            shown_as(District, d)
            for d in await info.context.reference.districts(info.context.registry)
        ]

    @described_field("Editions of the fair.")
    async def editions(self, info: Info) -> list[Edition]:
        return [
            shown_as(Edition, e)
            for e in await info.context.reference.editions(info.context.registry)
        ]

    @described_field("The eligibility criteria demands may claim.")
    async def eligibility_criteria(self, info: Info) -> list[EligibilityCriterion]:
        return [
            shown_as(EligibilityCriterion, c)
            for c in await info.context.reference.criteria(info.context.registry)
        ]

    @described_field("The industry taxonomy, retired codes included.")
    async def taxonomy(self, info: Info) -> Taxonomy:
        return shown_as(Taxonomy, await info.context.reference.taxonomy(info.context.registry))


@strawberry.type
class ReferenceMutation:
    @described_mutation("Add a taxonomy code (operators and administrators).")
    async def add_taxonomy_code(
        self,
        info: Info,
        code: str,
        name_zh: str,
        name_en: str,
        parent: str | None = None,
    ) -> TaxonomyChangeResult:
        body = sent(
            TaxonomyNodeIn.model_construct(
                code=code, parent=parent, name_zh=name_zh, name_en=name_en
            )
        )
        try:
            await info.context.registry.add_taxonomy_code(body)
        except ServiceError as exc:
            return problem(exc)
        return await _changed(info, code)

    @described_mutation("Rename a taxonomy code (operators and administrators).")
    async def rename_taxonomy_code(
        self, info: Info, code: str, name_zh: str, name_en: str
    ) -> TaxonomyChangeResult:
        body = sent(RenameIn.model_construct(name_zh=name_zh, name_en=name_en))
        try:
            await info.context.registry.rename_taxonomy_code(code, body)
        except ServiceError as exc:
            return problem(exc)
        return await _changed(info, code)

    @described_mutation(
        "Retire a taxonomy code: it stays on the demands that carry it but cannot "
        "be chosen again (operators and administrators)."
    )
    async def retire_taxonomy_code(self, info: Info, code: str) -> TaxonomyChangeResult:
        try:
            await info.context.registry.retire_taxonomy_code(code)
        except ServiceError as exc:
            return problem(exc)
        return await _changed(info, code)
