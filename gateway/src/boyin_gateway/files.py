"""Files over plain HTTP: what GraphQL cannot carry.

Downloads
    ``GET /files/attachments/{id}``, ``GET /files/imports/template`` and
    ``GET /files/exports/{demands|organisations|talents}`` stream the registry's answer
    through, the registry
    deciding as for any other call what the caller (``Authorization: Bearer <access
    token>``, or nobody) may have. An invalid or expired token, or no token where the
    registry wants someone signed in, is ``401`` with the platform's JSON error body; the
    registry's refusals keep their status and body (``404`` for an attachment the caller
    may not see, ``422`` for a bad filter). Query parameters are snake_case, as in the
    services' HTTP APIs.

Agreements
    ``GET /files/exports/funnel`` (the ``funnel`` query as XLSX, headers in ``lang``) is
    passed through from the agreements service like the registry's downloads: operators
    have every district's, district officers their own.

    ``GET /files/editions/{id}/roster`` is the signing ceremony's roster of an edition
    (staff only) as an XLSX file (``format=xlsx``) or a printable A4 page in both
    languages (``format=html``); ``lang`` picks the headings' language, ``order`` (repeated)
    the agreement ids on stage in order (none: every signed agreement, in the order
    signed). Passed through from the agreements service like the registry's downloads.

    ``GET /files/agreements/{id}/documents/{attachment_id}`` is a document of an agreement
    for those who may see the agreement (its parties, the landing district's officers,
    staff): the agreements service says whether the caller sees the agreement and whether
    it carries that attachment (``404`` otherwise, as for an agreement not seen), then the
    gateway fetches the file from the registry's attachment store as the platform itself
    (the store knows nothing of agreements).

Scheduling
    ``GET /files/editions/{id}/agenda.ics`` (the signed-in participant's agenda as
    iCalendar) and ``GET /files/editions/{id}/check-in.svg`` (their check-in QR code) are
    passed through from the scheduling service like the registry's downloads.
    ``GET /calendar/{token}.ics`` is the subscribable calendar feed: calendar apps send no
    token, so the secret in the address is the credential and the call reaches the
    scheduling service as a visitor (an unknown or replaced address is ``404``).

Uploads (``uploadAttachment``, ``startImport``)
    are GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
    to ``/graphql``: the parts ``operations`` and ``map``, then the files. Strawberry leaves
    multipart off unless asked (``multipart_uploads_enabled``, since 0.243) and leaves the
    defence against cross-site request forgery to the application: a browser posts
    ``multipart/form-data`` to another site without asking first (a CORS "simple" request),
    so any page could make a visitor's browser send one. The gateway therefore takes a
    multipart request only when it carries a header a simple request cannot, which makes
    the browser ask first (a preflight the gateway, allowing no other origin, refuses):
    **clients send** ``Apollo-Require-Preflight: true`` (or ``X-Apollo-Operation-Name``,
    as Apollo's clients do). Without one the answer is ``400 PREFLIGHT_REQUIRED``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask
from starlette.requests import HTTPConnection

from boyin_gateway.clients import Agreements, Downstream, ServiceError, ServiceUnavailable
from boyin_gateway.context import ANONYMOUS
from boyin_gateway.permissions import is_visitor
from boyin_shared.api.agreements import RosterFormat, RosterLanguage
from boyin_shared.api.errors import ErrorBody
from boyin_shared.api.registry import Channel, Format, HeaderLanguage, ImportKind, Status
from boyin_shared.api.reports import FunnelDimension
from boyin_shared.errors import BoyinError, Message, not_found, unauthenticated
from boyin_shared.http import error_body
from boyin_shared.identity import Actor, Role

#: headers that make a browser ask before it sends a request (any value will do)
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")

#: the gateway itself, fetching a file whose access another service decided
PLATFORM = Actor("svc_gateway", Role.SERVICE)

#: what a download keeps of the registry's answer
_PASSED_ON = ("content-type", "content-disposition", "content-length")


async def guard_uploads(request: HTTPConnection) -> AsyncIterator[None]:
    """Refuse a multipart POST that a browser would send cross-site without asking; close
    the files of one that was let in (Strawberry reads the form but never closes it).
    Subscriptions' WebSockets pass (the router's dependencies apply to them too)."""
    multipart = request.headers.get("content-type", "").lower().startswith("multipart/")
    if not (isinstance(request, Request) and request.method == "POST" and multipart):
        yield
        return
    if not any(request.headers.get(h, "").strip() for h in PREFLIGHT_HEADERS):
        raise BoyinError(
            code="PREFLIGHT_REQUIRED",
            message=Message(
                "上传文件的请求须带有 Apollo-Require-Preflight 请求头",
                "send file uploads with an Apollo-Require-Preflight header",
            ),
            status=400,
        )
    try:
        yield
    finally:
        await request.close()


def _unauthenticated() -> JSONResponse:
    return JSONResponse(
        error_body(unauthenticated()), status_code=401, headers={"WWW-Authenticate": "Bearer"}
    )


def _refusal(error: ServiceError) -> JSONResponse:
    """The service's refusal, passed on as it came."""
    body = ErrorBody(error=error.error).model_dump(mode="json")
    return JSONResponse(body, status_code=error.status)


def _unavailable() -> JSONResponse:
    error = BoyinError(
        code="SERVICE_UNAVAILABLE",
        message=Message("服务暂时不可用，请稍后重试", "the service is unavailable; retry later"),
        status=503,
    )
    return JSONResponse(error_body(error), status_code=503)


async def _stream(
    client: Downstream, path: str, params: dict[str, Any], *, public: bool
) -> Response:
    """The service's answer to ``GET path``, streamed through (a refusal as its JSON)."""
    clean = {k: v for k, v in params.items() if v is not None}
    try:
        upstream = await client.stream("GET", path, params=clean)
    except ServiceError as exc:
        if public and exc.error.code == "SIGN_IN_REQUIRED":
            return _unauthenticated()
        return _refusal(exc)
    except ServiceUnavailable:
        return _unavailable()
    headers = {h: v for h in _PASSED_ON if (v := upstream.headers.get(h))}
    headers["cache-control"] = "private, no-store"
    headers["x-content-type-options"] = "nosniff"
    return StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers=headers,
        background=BackgroundTask(upstream.aclose),
    )


def router(
    actor_of: Callable[[Request], Awaitable[Actor]],
    registry_for: Callable[[Actor], Downstream],
    scheduling_for: Callable[[Actor], Downstream],
    agreements_for: Callable[[Actor], Agreements],
) -> APIRouter:
    """The download routes; ``actor_of`` reads the caller's token (raising a 401
    ``BoyinError`` when it is invalid), ``registry_for``, ``scheduling_for`` and
    ``agreements_for`` call the services as them."""
    files = APIRouter(prefix="/files", tags=["files"])

    async def pass_on(
        request: Request,
        path: str,
        params: dict[str, Any],
        client_for: Callable[[Actor], Downstream] = registry_for,
        *,
        signed_in: bool = False,
    ) -> Response:
        try:
            actor = await actor_of(request)
        except BoyinError as exc:
            if exc.status == 401:
                return _unauthenticated()
            raise
        if signed_in and is_visitor(actor):
            return _unauthenticated()
        return await _stream(client_for(actor), path, params, public=is_visitor(actor))

    @files.get("/attachments/{attachment_id}")
    async def attachment(attachment_id: str, request: Request) -> Response:
        """An attachment: its uploader and staff may always have it, others when a demand
        they may see carries it."""
        return await pass_on(request, f"/attachments/{quote(attachment_id, safe='')}", {})

    @files.get("/imports/template")
    async def import_template(
        request: Request,
        format: Format = "xlsx",
        lang: HeaderLanguage = "zh",
        kind: ImportKind = ImportKind.DEMANDS,
    ) -> Response:
        """An empty import file of demands, talents or organisations, its header row in
        Chinese or English (XLSX adds notes)."""
        params = {"format": format, "headers": lang, "kind": kind.value}
        return await pass_on(request, "/imports/template", params)

    @files.get("/exports/demands")
    async def export_demands(
        request: Request,
        format: Format = "xlsx",
        lang: HeaderLanguage = "zh",
        channel: Channel | None = None,
        status: Status | None = None,
        district_code: str | None = None,
        taxonomy_code: str | None = None,
        language: str | None = None,
        edition: str | None = None,
        owner_id: str | None = None,
    ) -> Response:
        """The demands the caller may see that match the filters (those of the ``demands``
        query), in the import format."""
        params = {
            "format": format,
            "headers": lang,
            "channel": channel.value if channel else None,
            "status": status.value if status else None,
            "district_code": district_code,
            "taxonomy_code": taxonomy_code,
            "language": language,
            "edition": edition,
            "owner_id": owner_id,
        }
        return await pass_on(request, "/exports/demands", params)

    @files.get("/editions/{edition_id}/roster")
    async def ceremony_roster(
        edition_id: str,
        request: Request,
        format: RosterFormat = "xlsx",
        lang: RosterLanguage = "zh",
        order: Annotated[list[str] | None, Query(max_length=1000)] = None,
    ) -> Response:
        """The signing ceremony's roster (staff): XLSX or a printable A4 page."""
        path = f"/editions/{quote(edition_id, safe='')}/roster/export"
        params = {"format": format, "lang": lang, "order": order}
        return await pass_on(request, path, params, agreements_for, signed_in=True)

    @files.get("/agreements/{agreement_id}/documents/{attachment_id}")
    async def agreement_document(
        agreement_id: str, attachment_id: str, request: Request
    ) -> Response:
        """A document of an agreement the caller may see."""
        try:
            actor = await actor_of(request)
        except BoyinError as exc:
            if exc.status == 401:
                return _unauthenticated()
            raise
        if is_visitor(actor):
            return _unauthenticated()
        try:
            found = await agreements_for(actor).agreement(agreement_id)
        except ServiceError as exc:
            return _refusal(exc)
        except ServiceUnavailable:
            return _unavailable()
        if attachment_id not in (d.attachment_id for d in found.terms.documents):
            absent = not_found("document", attachment_id, zh_kind="文件")
            return JSONResponse(error_body(absent), status_code=404)
        path = f"/attachments/{quote(attachment_id, safe='')}"
        return await _stream(registry_for(PLATFORM), path, {}, public=False)

    @files.get("/exports/organisations")
    async def export_organisations(
        request: Request,
        format: Format = "xlsx",
        lang: HeaderLanguage = "zh",
        district_code: str | None = None,
    ) -> Response:
        """The organisations the caller may see (of one district if given), in their
        import format; contacts where the caller may see them."""
        params = {"format": format, "headers": lang, "district_code": district_code}
        return await pass_on(request, "/exports/organisations", params)

    @files.get("/exports/talents")
    async def export_talents(
        request: Request, format: Format = "xlsx", lang: HeaderLanguage = "zh"
    ) -> Response:
        """The talents, for signed-in people, in their import format; contacts where the
        caller may see them."""
        params = {"format": format, "headers": lang}
        return await pass_on(request, "/exports/talents", params, signed_in=True)

    @files.get("/exports/funnel")
    async def export_funnel(
        request: Request,
        lang: HeaderLanguage = "zh",
        by: FunnelDimension = FunnelDimension.EDITION,
        edition: str | None = None,
        district_code: str | None = None,
        cluster: str | None = None,
        channel: Channel | None = None,
    ) -> Response:
        """The funnel (the ``funnel`` query with these arguments) as an XLSX file."""
        params = {
            "headers": lang,
            "by": by.value,
            "edition": edition,
            "district_code": district_code,
            "cluster": cluster,
            "channel": channel.value if channel else None,
        }
        return await pass_on(request, "/exports/funnel", params, agreements_for, signed_in=True)

    @files.get("/editions/{edition_id}/agenda.ics")
    async def agenda_ics(edition_id: str, request: Request) -> Response:
        """The signed-in participant's agenda of an edition, as an iCalendar file."""
        path = f"/editions/{quote(edition_id, safe='')}/agenda.ics"
        return await pass_on(request, path, {}, scheduling_for, signed_in=True)

    @files.get("/editions/{edition_id}/check-in.svg")
    async def check_in_qr(edition_id: str, request: Request) -> Response:
        """The signed-in participant's check-in QR code for an edition (SVG)."""
        path = f"/editions/{quote(edition_id, safe='')}/attendance/qr.svg"
        return await pass_on(request, path, {}, scheduling_for, signed_in=True)

    return files


def calendar_router(scheduling_for: Callable[[Actor], Downstream]) -> APIRouter:
    """``GET /calendar/{token}.ics``: no sign-in, the secret token is the credential."""
    calendar = APIRouter(tags=["files"])

    @calendar.get("/calendar/{token}.ics")
    async def calendar_feed(token: str) -> Response:
        path = f"/calendar/{quote(token, safe='')}.ics"
        return await _stream(scheduling_for(ANONYMOUS), path, {}, public=False)

    return calendar
