"""The one GraphQL schema over every service, assembled from each feature's part
(``schema/<feature>.py``: its types, queries, mutations and subscriptions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from boyin_gateway import limits, query_errors
from boyin_gateway.schema.accounts import AccountMutation, AccountQuery
from boyin_gateway.schema.agreements import AgreementMutation, AgreementQuery
from boyin_gateway.schema.editions import EditionMutation, EditionQuery
from boyin_gateway.schema.feeds import FeedSubscription
from boyin_gateway.schema.match_operations import (
    MatchOperationsMutation,
    MatchOperationsQuery,
    MatchOperationsSubscription,
)
from boyin_gateway.schema.matches import MatchMutation, MatchQuery
from boyin_gateway.schema.meetings import MeetingMutation, MeetingQuery
from boyin_gateway.schema.privacy import PrivacyMutation, PrivacyQuery
from boyin_gateway.schema.reference import ReferenceMutation, ReferenceQuery
from boyin_gateway.schema.registry import RegistryMutation, RegistryQuery
from boyin_gateway.schema.uploads import UploadMutation, UploadQuery

Query = merge_types(
    "Query",
    (
        AccountQuery,
        RegistryQuery,
        ReferenceQuery,
        PrivacyQuery,
        UploadQuery,
        MatchQuery,
        MatchOperationsQuery,
        EditionQuery,
        MeetingQuery,
        AgreementQuery,
    ),
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
        MatchOperationsMutation,
        EditionMutation,
        MeetingMutation,
        AgreementMutation,
    ),
)

Subscription = merge_types("Subscription", (FeedSubscription, MatchOperationsSubscription))


def _raised(error: GraphQLError) -> bool:
    """Mask what the server raised; the caller's own mistakes (validation, depth limit,
    variables) have no original exception, or a GraphQL one, and stay readable."""
    return not isinstance(error.original_error, GraphQLError | None)


#: what a caller is told of a fault of the server's
INTERNAL_ERROR = {
    "code": "INTERNAL_ERROR",
    "message": {"zh": "服务器内部错误，请稍后重试", "en": "Unexpected error."},
}


class MaskedErrors(MaskErrors):
    """MaskErrors whose "Unexpected error." says so in Chinese too (``INTERNAL_ERROR``)."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = dict(INTERNAL_ERROR)
        return masked


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # the caller's mistakes (and the limits' refusals), in Chinese and English; what
        # the server raised is masked afterwards (MaskedErrors), explanation and all
        query_errors.explain(errors, self._schema)
        super().process_errors(errors, execution_context)


def build_schema(limit: limits.Limits = limits.DEFAULTS) -> strawberry.Schema:
    """The schema with the size, shape and introspection limits of ``limit``.

    Parsing and validating each query is half the cost of a request: both are cached (the
    caches live at module level, shared by the fresh extension each request gets).
    Expected failures are result types, so MaskErrors hides anything raised."""
    extensions: list[Any] = [
        *limit.schema_extensions(),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskedErrors(should_mask_error=_raised),
    ]
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        # suggestions ("Did you mean ...?") would reveal what introspection hides
        config=StrawberryConfig(disable_field_suggestions=not limit.introspection),
    )


schema = build_schema()

SDL_PATH = Path(__file__).resolve().parents[3] / "schema.graphql"


def sdl() -> str:
    return schema.as_str() + "\n"
