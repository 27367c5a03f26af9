"""``/unsubscribe?token=…``: the link at the foot of every notification, and its
``List-Unsubscribe`` header. No sign-in: the registry checks the signed token, which names
the party and what it stops (one kind, or all). ``GET`` (a person following the link) and
``POST`` (a mail client's one-click, RFC 8058) both unsubscribe; answering again changes
nothing. The answer is a short page in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from boyin_gateway.clients import Registry, ServiceError, ServiceUnavailable
from boyin_gateway.context import ANONYMOUS
from boyin_shared.api.registry import NotificationKind
from boyin_shared.identity import Actor

#: what each kind is called on the page
KINDS = {
    NotificationKind.PROPOSAL: ("新的匹配推荐", "new match proposals"),
    NotificationKind.MUTUAL_MATCH: ("双向匹配", "mutual matches"),
    NotificationKind.MEETING: ("会谈安排", "meetings"),
    NotificationKind.DEMAND: ("需求审核结果", "your demands' review"),
    NotificationKind.AGREEMENT: ("合作协议进展", "agreements"),
}


def page(status: int, zh: str, en: str) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="zh"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f'<title>博引 Boyin</title><p>{escape(zh)}</p><p lang="en">{escape(en)}</p></html>'
    )
    headers = {"cache-control": "no-store", "x-content-type-options": "nosniff"}
    return HTMLResponse(body, status_code=status, headers=headers)


def router(registry_for: Callable[[Actor], Registry]) -> APIRouter:
    unsubscribe = APIRouter(tags=["notifications"])

    @unsubscribe.api_route("/unsubscribe", methods=["GET", "POST"], response_class=HTMLResponse)
    async def unsubscribe_link(token: str = Query(min_length=1, max_length=512)) -> HTMLResponse:
        try:
            done = await registry_for(ANONYMOUS).unsubscribe(token)
        except ServiceError as exc:
            return page(exc.status, exc.error.message.zh, exc.error.message.en)
        except ServiceUnavailable:
            return page(
                503, "服务暂时不可用，请稍后重试。", "The service is unavailable; retry later."
            )
        if done.kind is None:
            return page(
                200, "您已退订博引的全部通知。", "You will receive no more messages from Boyin."
            )
        zh, en = KINDS[done.kind]
        return page(200, f"您已退订：{zh}。其他通知不受影响。", f"You are unsubscribed from {en}.")

    return unsubscribe
