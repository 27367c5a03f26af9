"""The one GraphQL schema over every service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from strawberry.extensions import MaskErrors, ParserCache, QueryDepthLimiter, ValidationCache

from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.types import (
    Conflict,
    DistrictSupply,
    Forbidden,
    InvalidInput,
    Organisation,
    OrganisationConnection,
    OrganisationEdge,
    OrganisationInput,
    PageInfo,
    RegisterOrganisationResult,
    Talent,
    problem,
)

MAX_PAGE = 100
Info = strawberry.Info[Context, None]


@strawberry.type
class Query:
    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation | None:
        dto = await info.context.registry.organisation(str(id))
        return Organisation.of(dto) if dto else None

    @strawberry.field
    async def organisations(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        district_code: str | None = None,
    ) -> OrganisationConnection:
        first = max(1, min(first, MAX_PAGE))
        page = await info.context.registry.organisations(
            district_code=district_code, after=after, limit=first
        )
        edges = [OrganisationEdge(cursor=o.id, node=Organisation.of(o)) for o in page.items]
        return OrganisationConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.next_after is not None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field
    async def talent(self, info: Info, id: strawberry.ID) -> Talent | None:
        dto = await info.context.registry.talent(str(id))
        return Talent.of(dto) if dto else None

    @strawberry.field
    async def district_supply(self, info: Info) -> list[DistrictSupply]:
        return [DistrictSupply.of(d) for d in await info.context.matching.district_supply()]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def register_organisation(
        self, info: Info, input: OrganisationInput
    ) -> RegisterOrganisationResult:
        body = strawberry.asdict(input)
        try:
            dto = await info.context.registry.register_organisation(body)
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Conflict | Forbidden)
            return result
        return Organisation.of(dto)


# Parsing and validating each query is half the cost of a request: cache both (the
# caches live at module level, shared by the fresh extension each request gets).
# Expected failures are result types, so MaskErrors hides anything raised.
EXTENSIONS: list[Any] = [
    lambda: QueryDepthLimiter(max_depth=12),
    lambda: ParserCache(maxsize=256),
    lambda: ValidationCache(maxsize=256),
    MaskErrors,
]

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=EXTENSIONS)

SDL_PATH = Path(__file__).resolve().parents[2] / "schema.graphql"


def sdl() -> str:
    return schema.as_str() + "\n"
