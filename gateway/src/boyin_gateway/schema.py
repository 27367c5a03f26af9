"""The one GraphQL schema over every service, assembled from each area's part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.tools import merge_types

from boyin_gateway.account_schema import AccountMutation, AccountQuery
from boyin_gateway.feed_schema import FeedSubscription
from boyin_gateway.match_schema import MatchMutation, MatchQuery
from boyin_gateway.privacy_schema import PrivacyMutation, PrivacyQuery
from boyin_gateway.reference_schema import ReferenceMutation, ReferenceQuery
from boyin_gateway.registry_schema import RegistryMutation, RegistryQuery
from boyin_gateway.upload_schema import UploadMutation, UploadQuery

Query = merge_types(
    "Query",
    (AccountQuery, RegistryQuery, ReferenceQuery, PrivacyQuery, UploadQuery, MatchQuery),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        RegistryMutation,
        ReferenceMutation,
        PrivacyMutation,
        UploadMutation,
        MatchMutation,
    ),
)


def _raised(error: GraphQLError) -> bool:
    """Mask what the server raised; the caller's own mistakes (validation, depth limit,
    variables) have no original exception, or a GraphQL one, and stay readable."""
    return not isinstance(error.original_error, GraphQLError | None)


# Parsing and validating each query is half the cost of a request: cache both (the
# caches live at module level, shared by the fresh extension each request gets).
# Expected failures are result types, so MaskErrors hides anything raised.
EXTENSIONS: list[Any] = [
    lambda: QueryDepthLimiter(max_depth=12),
    lambda: ParserCache(maxsize=256),
    lambda: ValidationCache(maxsize=256),
    lambda: MaskErrors(should_mask_error=_raised),
]

schema = strawberry.Schema(
    query=Query, mutation=Mutation, subscription=FeedSubscription, extensions=EXTENSIONS
)

SDL_PATH = Path(__file__).resolve().parents[2] / "schema.graphql"


def sdl() -> str:
    return schema.as_str() + "\n"
