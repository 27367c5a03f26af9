"""One error base for the whole platform, mapped to HTTP in one place (``boyin_shared.http``).

Every error a person may read carries its message in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Message:
    """A message in both languages of the fair."""

    zh: str
    en: str


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (``field`` is a dotted path, e.g. ``rows.12.email``)."""

    field: str
    code: str
    message: Message


@dataclass
class BoyinError(Exception):
    """Base of every expected failure. ``status`` is the HTTP status it maps to."""

    code: str
    message: Message
    fields: list[FieldError] = field(default_factory=list)
    status: int = 400

    def __str__(self) -> str:
        return f"{self.code}: {self.message.en}"


def not_found(kind: str, key: str, *, zh_kind: str) -> BoyinError:
    return BoyinError(
        code="NOT_FOUND",
        message=Message(zh=f"未找到{zh_kind}：{key}", en=f"{kind} not found: {key}"),
        status=404,
    )


def conflict(code: str, message: Message) -> BoyinError:
    return BoyinError(code=code, message=message, status=409)


def invalid(fields: list[FieldError]) -> BoyinError:
    """A validation failure listing every offending field."""
    return BoyinError(
        code="VALIDATION_FAILED",
        message=Message(zh="输入有误，请检查标出的字段", en="Invalid input; see the fields listed"),
        fields=fields,
        status=422,
    )


def invalid_body(zh_why: str, en_why: str) -> BoyinError:
    """A request body that cannot be what the route takes (not an object, nested too deeply)."""
    return BoyinError(
        code="INVALID_BODY",
        message=Message(zh=f"请求内容{zh_why}", en=f"the request body {en_why}"),
        status=400,
    )


def unavailable() -> BoyinError:
    """A store or broker briefly unavailable (a restart): the caller may retry shortly."""
    return BoyinError(
        code="SERVICE_UNAVAILABLE",
        message=Message(
            zh="服务暂时不可用，请数秒后重试", en="briefly unavailable; retry in a few seconds"
        ),
        status=503,
    )


def forbidden(message: Message) -> BoyinError:
    return BoyinError(code="FORBIDDEN", message=message, status=403)


def unauthenticated() -> BoyinError:
    return BoyinError(
        code="UNAUTHENTICATED",
        message=Message(zh="需要登录或有效的访问令牌", en="Authentication required"),
        status=401,
    )


class TransientError(Exception):
    """Infrastructure that is briefly unavailable (database or broker restart).

    Consumers retry these without limit and never dead-letter an event for them.
    """
