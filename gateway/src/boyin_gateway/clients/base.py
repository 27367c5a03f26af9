"""What every service client shares: the signed identity on each call, the mapping of a
service's answer to the gateway's errors, and the protocol a client (or a test's fake)
implements so that resolvers depend on the protocol, not on HTTP.

How an answer maps: 2xx is the body (None when empty); a 4xx in the platform's error
shape (``{"error": {code, message, fields}}``) is a :class:`ServiceError` carrying its
status (404 not found, 401/403 refused, 409 conflict, anything else invalid input); a 404
without that shape (no such route) is a ``NOT_FOUND`` ServiceError; a 5xx, another 4xx
without the shape, or no answer at all is :class:`ServiceUnavailable` (masked).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter

from boyin_shared import identity
from boyin_shared.api.errors import ErrorOut, MessageOut
from boyin_shared.identity import Actor

T = TypeVar("T")

#: a file to send on: (name, content, content type), as httpx takes it
FilePart = tuple[str, Any, str]


def seg(value: str) -> str:
    """One path segment: an id may not reach another route (``d1/publish?``, ``..``, or the
    empty id, which would leave ``/demands/`` for the list). An empty id names nothing:
    ``ServiceError`` 404, as the service would answer."""
    if not value:
        raise ServiceError(404, _NO_SUCH_PATH)
    # dots too: a client normalises ``/demands/..`` to ``/`` before sending it
    return quote(value, safe="").replace(".", "%2E")


def sent(request: BaseModel) -> dict[str, Any]:
    """A service's request model as the JSON body of a call (the fields given). Build it
    with ``Model.model_construct(...)``: the service validates what it is sent and answers
    a bad value with its own field errors, which reach the caller as ``InvalidInput``."""
    return request.model_dump(mode="json", exclude_unset=True)


class ServiceError(Exception):
    """An expected failure a service reported (validation, conflict, not found): its HTTP
    status and the platform's error (``boyin_shared.api.errors``)."""

    def __init__(self, status: int, error: ErrorOut) -> None:
        super().__init__(f"{status} {error.code}: {error.message.en}")
        self.status = status
        self.error = error


class ServiceUnavailable(Exception):
    """The service did not answer or failed unexpectedly (masked in GraphQL responses)."""


class Downstream(Protocol):
    """What every client of a service offers, over HTTP or in memory."""

    #: calls made so far (tests count them to catch N+1 queries)
    calls: int

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The service's answer to a request, unread (a file to pass on); the caller
        closes it. Failures are raised as :class:`ServiceError` or
        :class:`ServiceUnavailable`."""
        ...


class ServiceClient:
    """Calls one service on behalf of one caller (the identity travels signed)."""

    def __init__(self, pool: httpx.AsyncClient, secret: str, actor: Actor) -> None:
        self._http = pool
        self._secret = secret
        self._actor = actor
        self._identity: str | None = None  # signed at the first call: most requests make none
        #: downstream calls made, for tests that count N+1 queries
        self.calls = 0

    def _headers(self, extra: Any) -> dict[str, str]:
        headers = dict(extra or {})
        if self._identity is None:
            self._identity = identity.issue(self._actor, self._secret)
        headers[identity.HEADER] = self._identity
        # no traceparent here: the httpx instrumentation writes it on calls over the network,
        # and a service called in this process (httpx.ASGITransport) continues the current
        # span (boyin_shared.server_spans)
        return headers

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON the service answered (None for an empty answer, e.g. 204)."""
        response = await self._answer(method, path, **kwargs)
        return response.json() if response.content else None

    async def read(self, shape: TypeAdapter[T], method: str, path: str, **kwargs: Any) -> T:
        """The service's answer decoded straight into ``shape`` (its API model): one pass
        over the bytes, no tree of dicts built first and validated after."""
        response = await self._answer(method, path, **kwargs)
        return shape.validate_json(response.content)

    async def _answer(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.calls += 1
        headers = self._headers(kwargs.pop("headers", None))
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{method} {path}: {response.status_code}")
        if response.status_code >= 400:
            raise _error(method, path, response)
        return response

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request and return the response unread (a file to pass on); the caller
        closes it. Failures are raised as :meth:`request` raises them."""
        self.calls += 1
        headers = self._headers(kwargs.pop("headers", None))
        request = self._http.build_request(method, path, headers=headers, **kwargs)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if response.status_code < 400:
            return response
        try:
            await response.aread()
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        finally:
            await response.aclose()
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{method} {path}: {response.status_code}")
        raise _error(method, path, response)


def _error(method: str, path: str, response: httpx.Response) -> Exception:
    """The service's expected failure; an answer not in the platform's error shape (a
    route the service does not have, a proxy's page) is a fault, not the caller's."""
    try:
        return ServiceError(response.status_code, ErrorOut.model_validate(response.json()["error"]))
    except (ValueError, KeyError, TypeError):
        if response.status_code == 404:  # no such route: an id that names no resource
            return ServiceError(404, _NO_SUCH_PATH)
        return ServiceUnavailable(f"{method} {path}: {response.status_code} without an error")


_NO_SUCH_PATH = ErrorOut(code="NOT_FOUND", message=MessageOut(zh="未找到", en="not found"))
