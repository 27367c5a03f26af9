"""The one GraphQL schema over every service, assembled from each feature's part
(``schema/<feature>.py``: its types, queries, mutations and subscriptions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from boyin_gateway import limits, query_errors
from boyin_gateway.clients import ServiceUnavailable
from boyin_gateway.operation_spans import OperationSpans
from boyin_gateway.schema.accounts import AccountMutation, AccountQuery
from boyin_gateway.schema.agreement_documents import AgreementDocumentMutation
from boyin_gateway.schema.agreement_feeds import AgreementFeedSubscription
from boyin_gateway.schema.agreements import AgreementMutation, AgreementQuery
from boyin_gateway.schema.dead_letters import DeadLetterMutation, DeadLetterQuery
from boyin_gateway.schema.editions import EditionMutation, EditionQuery
from boyin_gateway.schema.feeds import FeedSubscription
from boyin_gateway.schema.match_operations import (
    MatchOperationsMutation,
    MatchOperationsQuery,
    MatchOperationsSubscription,
)
from boyin_gateway.schema.matches import MatchMutation, MatchQuery
from boyin_gateway.schema.meetings import MeetingMutation, MeetingQuery
from boyin_gateway.schema.mentors import MentorMutation, MentorQuery
from boyin_gateway.schema.notifications import NotificationMutation, NotificationQuery
from boyin_gateway.schema.privacy import PrivacyMutation, PrivacyQuery
from boyin_gateway.schema.reference import ReferenceMutation, ReferenceQuery
from boyin_gateway.schema.registry import RegistryMutation, RegistryQuery
from boyin_gateway.schema.reports import ReportQuery
from boyin_gateway.schema.uploads import UploadMutation, UploadQuery
from boyin_shared import telemetry
from boyin_shared.errors import TransientError

Query = merge_types(
    "Query",
    (
        AccountQuery,
        RegistryQuery,
        ReferenceQuery,
        PrivacyQuery,
        NotificationQuery,
        UploadQuery,
        MatchQuery,
        MatchOperationsQuery,
        EditionQuery,
        MeetingQuery,
        AgreementQuery,
        ReportQuery,
        MentorQuery,
        DeadLetterQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        RegistryMutation,
        ReferenceMutation,
        PrivacyMutation,
        NotificationMutation,
        UploadMutation,
        MatchMutation,
        MatchOperationsMutation,
        EditionMutation,
        MeetingMutation,
        AgreementMutation,
        AgreementDocumentMutation,
        MentorMutation,
        DeadLetterMutation,
    ),
)

Subscription = merge_types(
    "Subscription", (FeedSubscription, AgreementFeedSubscription, MatchOperationsSubscription)
)


def _raised(error: GraphQLError) -> bool:
    """Mask what the server raised; the caller's own mistakes (validation, depth limit,
    variables) have no original exception, or a GraphQL one, and stay readable."""
    return not isinstance(error.original_error, GraphQLError | None)


#: what a caller is told of a fault of the server's
INTERNAL_ERROR = {
    "code": "INTERNAL_ERROR",
    "message": {"zh": "服务器内部错误，请稍后重试", "en": "Unexpected error."},
}


#: what a caller is told when a service (or its database) is briefly away: retry shortly
SERVICE_UNAVAILABLE = {
    "code": "SERVICE_UNAVAILABLE",
    "message": {"zh": "服务暂时不可用，请数秒后重试", "en": "briefly unavailable; retry shortly"},
    "retryable": True,
}


class MaskedErrors(MaskErrors):
    """MaskErrors whose "Unexpected error." says so in Chinese too (``INTERNAL_ERROR``), and
    which tells a service briefly away (``SERVICE_UNAVAILABLE``, retryable) from a fault."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        if isinstance(error.original_error, ServiceUnavailable | TransientError):
            masked.message = "Service briefly unavailable; retry shortly."
            masked.extensions = dict(SERVICE_UNAVAILABLE)
        else:
            masked.extensions = dict(INTERNAL_ERROR)
        return masked


#: graphql-core's hints at names the caller may have meant (fields, arguments, enum values,
#: input fields, types)
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class GatewaySchema(strawberry.Schema):
    #: whether errors may hint at names ("Did you mean ...?"): not where introspection is off
    suggestions = True

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # the caller's mistakes (and the limits' refusals), in Chinese and English; what
        # the server raised is masked afterwards (MaskedErrors), explanation and all
        query_errors.explain(errors, self._schema)
        if not self.suggestions:
            for error in errors:
                error.message = _SUGGESTION.sub("", error.message)
                said = (error.extensions or {}).get("message")
                if isinstance(said, dict):
                    said["en"] = _SUGGESTION.sub("", str(said.get("en", "")))
        super().process_errors(errors, execution_context)


def build_schema(limit: limits.Limits = limits.DEFAULTS) -> strawberry.Schema:
    """The schema with the size, shape and introspection limits of ``limit``.

    Parsing and validating each query is half the cost of a request: both are cached (the
    caches live at module level, shared by the fresh extension each request gets; the
    validation's is in ``validation.BoundedValidation``, among the limits' extensions).
    Expected failures are result types, so MaskErrors hides anything raised."""
    extensions: list[Any] = [
        *limit.schema_extensions(),
        lambda: ParserCache(maxsize=256),
        lambda: MaskedErrors(should_mask_error=_raised),
    ]
    if telemetry.active():  # outermost: the operation's span holds all the rest
        extensions.insert(0, OperationSpans)
    built = GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        # suggestions ("Did you mean ...?") would reveal what introspection hides
        config=StrawberryConfig(disable_field_suggestions=not limit.introspection),
    )
    built.suggestions = limit.introspection
    return built


schema = build_schema()

SDL_PATH = Path(__file__).resolve().parents[3] / "schema.graphql"


def sdl() -> str:
    return schema.as_str() + "\n"
