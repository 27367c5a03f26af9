"""The gateway's protective limits, read from the settings (``BOYIN_...``) at start-up.

Size and shape of a GraphQL operation (refused before any service is called)
    - ``graphql_max_tokens`` (2000): lexical tokens of the document, counted while it is
      parsed (strawberry's ``MaxTokensLimiter``);
    - ``graphql_max_depth`` (12): nesting of selections (``QueryDepthLimiter``);
    - ``graphql_max_aliases`` (20): aliased fields, which repeat work (``MaxAliasesLimiter``);
    - ``graphql_max_fields`` (400) and ``graphql_max_merges`` (1000): fields selected in all,
      and the work of the check that fields of one response path can be merged (the sum of
      the squares of the number of fields per path), measured on the parsed document before
      it is validated, since validation's cost grows faster than the document (see
      validation.py; the validation of larger documents also runs off the event loop);
    - page sizes: every ``first`` argument is clamped (100 at most; below 1 it is refused,
      as is a cursor the field did not hand out: see paging.py).

    The GraphQL error keeps the library's English message and adds ``extensions``:
    ``{"code": "QUERY_TOO_DEEP", "message": {"zh": ..., "en": ...}}`` (codes
    ``QUERY_TOO_LONG``, ``QUERY_TOO_DEEP``, ``TOO_MANY_ALIASES``, ``QUERY_TOO_COMPLEX``,
    ``INTROSPECTION_DISABLED``;
    every other GraphQL error is explained so too, see query_errors.py).

Introspection
    ``graphql_introspection=false`` (production) refuses introspection queries
    (graphql-core's ``NoSchemaIntrospectionCustomRule``), turns GraphiQL off and drops the
    "Did you mean ...?" field suggestions, which would reveal the schema too.

Request bodies
    A body larger than ``max_request_kb`` (1 MiB), or for a multipart upload than
    ``max_upload_mb`` + 1 MiB, is refused with ``413 REQUEST_TOO_LARGE`` before it is read
    (from ``Content-Length``) or as soon as it grows past the limit (chunked bodies). The
    registry still checks each file's own size and type.

Rate limits (token buckets: a burst of the whole allowance, then a steady refill)
    - ``rate_limit_per_minute`` (600) per signed-in account (a valid bearer token);
    - ``rate_limit_anonymous_per_minute`` (120) per client IP address otherwise, also for
      an invalid token and for the WebSocket handshakes of subscriptions;
    - password checks (sign-in, sign-up) in all, per address, and per login and address:
      see attempts.py.

    Over the limit the answer is ``429`` with ``Retry-After`` (seconds) and the platform's
    error body ``{"error": {"code": "RATE_LIMITED", "message": {"zh", "en"}}}``; a throttled
    sign-in is ``429`` with ``Retry-After`` too, its GraphQL result the ``Forbidden``
    problem ``TOO_MANY_SIGN_IN_ATTEMPTS``. Probes and metrics are never limited; ``0``
    turns a rate limit off.

    **The buckets live in each gateway process's memory.** Every replica (and every worker
    process) counts on its own, so with N replicas behind a load balancer a client gets up
    to N times the allowance, and a restart forgets the counts. Exact limits across
    replicas would need a shared store (or limits at the ingress).

    The client's address is the connection's peer, or behind the configured reverse proxies
    (``BOYIN_TRUSTED_PROXIES``) the address they forwarded: see addresses.py.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from graphql.validation import ASTValidationRule
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from boyin_gateway.addresses import Proxies
from boyin_gateway.validation import CostLimits, bounded_validation
from boyin_shared.errors import BoyinError, Message
from boyin_shared.http import error_body
from boyin_shared.settings import PlatformSettings

MIB = 1024 * 1024
#: paths never limited: the probes and the metrics scrape
UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics")
#: the portal's hashed build files (``boyin_gateway.portal``): a page loads a dozen of them,
#: each a file read once and cached for a year by the browser; counting them would spend a
#: person's requests on scripts and styles instead of on the API
UNLIMITED_ASSETS = "/assets/"


@dataclass(frozen=True)
class Limits:
    introspection: bool
    max_depth: int
    max_tokens: int
    max_aliases: int
    cost: CostLimits
    max_body_bytes: int
    max_upload_body_bytes: int
    per_minute: int
    anonymous_per_minute: int
    sign_in_attempts: int
    sign_in_window_seconds: int
    password_checks_per_address: int
    password_checks_per_second: int
    registrations_per_hour: int
    proxies: Proxies

    @classmethod
    def of(cls, settings: PlatformSettings) -> Limits:
        return cls(
            introspection=settings.graphql_introspection,
            max_depth=settings.graphql_max_depth,
            max_tokens=settings.graphql_max_tokens,
            max_aliases=settings.graphql_max_aliases,
            cost=CostLimits(settings.graphql_max_fields, settings.graphql_max_merges),
            max_body_bytes=settings.max_request_kb * 1024,
            max_upload_body_bytes=(settings.max_upload_mb + 1) * MIB,
            per_minute=settings.rate_limit_per_minute,
            anonymous_per_minute=settings.rate_limit_anonymous_per_minute,
            sign_in_attempts=settings.sign_in_attempts,
            sign_in_window_seconds=settings.sign_in_window_seconds,
            password_checks_per_address=settings.password_checks_per_address,
            password_checks_per_second=settings.password_checks_per_second,
            registrations_per_hour=settings.registrations_per_hour,
            proxies=Proxies.of(settings.trusted_proxies),
        )

    def schema_extensions(self) -> list[Callable[[], SchemaExtension]]:
        """Factories of the extensions that check an operation's size and shape.

        The validation rules are made once here, not per request: the validation cache
        is keyed by the rules, and a new rule class per request would never hit it."""
        rules: list[type[ASTValidationRule]] = [
            *QueryDepthLimiter(max_depth=self.max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=self.max_aliases).validation_rules,
        ]
        if not self.introspection:
            rules += DisableIntrospection().validation_rules
        max_tokens = self.max_tokens
        return [
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            lambda: AddValidationRules(rules),
            bounded_validation(self.cost),
        ]


DEFAULTS = Limits.of(PlatformSettings.model_construct())


# -- GraphQL errors of the limits, explained in both languages -------------------------

#: the library's messages of the limits' refusals: pattern, code, zh and en (``{0}`` is the
#: pattern's group); ``query_errors.explain`` gives every GraphQL error its code and message
EXPLAINED: list[tuple[re.Pattern[str], str, str, str]] = [
    (
        re.compile(r"Document contains more than (\d+) tokens"),
        "QUERY_TOO_LONG",
        "查询过长（最多 {0} 个词法单元）",
        "the query is too long (at most {0} tokens)",
    ),
    (
        re.compile(r"exceeds maximum operation depth of (\d+)"),
        "QUERY_TOO_DEEP",
        "查询嵌套过深（最多 {0} 层）",
        "the query is nested too deeply (at most {0} levels)",
    ),
    (
        re.compile(r"\d+ aliases found\. Allowed: (\d+)"),
        "TOO_MANY_ALIASES",
        "查询使用的别名过多（最多 {0} 个）",
        "the query uses too many aliases (at most {0})",
    ),
    (
        re.compile(r"Document selects more than (\d+) fields"),
        "QUERY_TOO_COMPLEX",
        "查询选择的字段过多（最多 {0} 个，片段每展开一次计一次）",
        "the query selects too many fields (at most {0}, a fragment counted at each spread)",
    ),
    (
        re.compile(r"Document repeats fields too often: merge cost (\d+)\. Allowed: (\d+)"),
        "QUERY_TOO_COMPLEX",
        "查询重复选择同一字段过多（合并检查代价 {0}，上限 {1}）",
        "the query selects the same fields too often (merge cost {0}, at most {1})",
    ),
    (
        re.compile(r"introspection has been disabled"),
        "INTROSPECTION_DISABLED",
        "本服务未开放 GraphQL 内省查询",
        "GraphQL introspection is disabled on this server",
    ),
]


# -- rate limits ------------------------------------------------------------------------


class TokenBuckets:
    """One token bucket per key: ``capacity`` tokens, refilled at ``capacity`` per
    ``period`` seconds. Holds at most ``max_keys`` buckets (the least recently used go:
    a forgotten bucket is a full one). ``capacity`` 0 means no limit."""

    def __init__(
        self,
        capacity: int,
        period: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()

    def _level(self, key: Hashable, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.capacity), now))
        return min(float(self.capacity), tokens + (now - at) * self.rate)

    def take(self, key: Hashable) -> int:
        """Take a token: 0 when there was one, else the whole seconds until there is."""
        if self.capacity <= 0:
            return 0
        now = self.clock()
        level = self._level(key, now)
        taken = level >= 1
        self._buckets[key] = (level - 1 if taken else level, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return 0 if taken else max(1, math.ceil((1 - level) / self.rate))

    def give_back(self, key: Hashable) -> None:
        if self.capacity <= 0 or key not in self._buckets:
            return
        now = self.clock()
        self._buckets[key] = (min(float(self.capacity), self._level(key, now) + 1), now)

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class Throttle:
    """The rate limits of one gateway process (see the module's documentation)."""

    accounts: TokenBuckets
    addresses: TokenBuckets
    sign_ins: TokenBuckets
    password_checks: TokenBuckets  # per address
    all_password_checks: TokenBuckets  # one key: the process's
    registrations: TokenBuckets  # per account (of one's own profile)
    proxies: Proxies

    @classmethod
    def of(cls, limits: Limits) -> Throttle:
        return cls(
            accounts=TokenBuckets(limits.per_minute, 60),
            addresses=TokenBuckets(limits.anonymous_per_minute, 60),
            sign_ins=TokenBuckets(limits.sign_in_attempts, limits.sign_in_window_seconds),
            password_checks=TokenBuckets(limits.password_checks_per_address, 60),
            all_password_checks=TokenBuckets(limits.password_checks_per_second, 1),
            registrations=TokenBuckets(limits.registrations_per_hour, 3600),
            proxies=limits.proxies,
        )

    def client_address(self, scope: Scope) -> str:
        return self.proxies.client(scope)


def _rate_limited(wait: int) -> BoyinError:
    return BoyinError(
        code="RATE_LIMITED",
        message=Message(
            f"请求过于频繁，请 {wait} 秒后重试", f"too many requests; retry in {wait} s"
        ),
        status=429,
    )


def _too_large(limit: int) -> BoyinError:
    return BoyinError(
        code="REQUEST_TOO_LARGE",
        message=Message(
            f"请求内容过大（上限 {limit // 1024} KB）",
            f"the request body is too large (at most {limit // 1024} KB)",
        ),
        status=413,
    )


def _answer(error: BoyinError, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(error_body(error), status_code=error.status, headers=headers)


class LimitRequests:
    """ASGI middleware of the gateway: rate limits, then the request body's size.

    ``account_of`` names the account of a valid ``Authorization`` header (None: anonymous)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Limits,
        throttle: Throttle,
        account_of: Callable[[str], str | None],
    ) -> None:
        self.app = app
        self.limits = limits
        self.throttle = throttle
        self.account_of = account_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] not in ("http", "websocket")
            or scope["path"].endswith(UNLIMITED_PATHS)
            or (
                scope.get("method") in ("GET", "HEAD")
                and scope["path"].startswith(UNLIMITED_ASSETS)
            )
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if wait := self._wait(scope, headers):
            if scope["type"] == "websocket":
                await receive()  # websocket.connect; closing before accepting answers 403
                await send({"type": "websocket.close", "code": 1013})  # try again later
                return
            await _answer(_rate_limited(wait), {"Retry-After": str(wait)})(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        multipart = headers.get("content-type", "").lower().startswith("multipart/")
        limit = self.limits.max_upload_body_bytes if multipart else self.limits.max_body_bytes
        declared = headers.get("content-length", "")
        if not declared.isdigit():
            await self._buffered(scope, receive, send, limit)
        elif int(declared) > limit:
            await _answer(_too_large(limit))(scope, receive, send)
        else:  # the server reads no more than the declared length
            await self.app(scope, receive, send)

    def _wait(self, scope: Scope, headers: Headers) -> int:
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            account = self.account_of(authorization[7:].strip())
            if account is not None:
                return self.throttle.accounts.take(account)
        return self.throttle.addresses.take(self.throttle.client_address(scope))

    async def _buffered(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """A body of unknown length (chunked): read it up to the limit, then pass it on."""
        messages: list[AsgiMessage] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the application see it
            size += len(message.get("body", b""))
            if size > limit:
                await _answer(_too_large(limit), {"Connection": "close"})(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> AsgiMessage:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
