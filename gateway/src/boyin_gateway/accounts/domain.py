"""Accounts and the rules on them (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from boyin_shared.errors import FieldError, Message, invalid
from boyin_shared.identity import Actor, Role

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")

#: Roles anyone may sign up for; the others are created by staff.
SELF_SERVICE = (Role.TALENT, Role.ORGANISATION, Role.INVESTOR)
#: Who may create accounts of which roles.
CREATED_BY: dict[Role, tuple[Role, ...]] = {
    Role.ADMIN: (Role.ADMIN, Role.OPERATOR, Role.DISTRICT_OFFICER, Role.MENTOR, Role.INVESTOR),
    Role.OPERATOR: (Role.DISTRICT_OFFICER, Role.MENTOR, Role.INVESTOR),
}


def normalise_login(login: str) -> str:
    """E-mail addresses lower-cased; phone numbers without spaces or dashes."""
    value = login.strip()
    if "@" in value:
        return value.lower()
    return re.sub(r"[\s-]", "", value)


def check_login(login: str) -> str:
    value = normalise_login(login)
    if not (_EMAIL.match(value) or _PHONE.match(value)):
        raise invalid(
            [
                FieldError(
                    "login",
                    "LOGIN",
                    Message(
                        "请填写有效的电子邮箱或手机号",
                        "give a valid e-mail address or phone number",
                    ),
                )
            ]
        )
    return value


def check_password(password: str) -> None:
    problems = []
    if len(password) < 10:
        problems.append(("至少 10 个字符", "at least 10 characters"))
    if len(password) > 200:
        problems.append(("最多 200 个字符", "at most 200 characters"))
    if password.isdigit() or password.isalpha():
        problems.append(("需同时包含字母和数字或符号", "mix letters with digits or symbols"))
    if problems:
        raise invalid(
            [
                FieldError("password", "WEAK_PASSWORD", Message("密码" + zh, "password: " + en))
                for zh, en in problems
            ]
        )


@dataclass(frozen=True)
class Account:
    id: str
    login: str
    password_hash: str
    role: Role
    district_code: str | None
    party_id: str | None
    created_at: datetime
    disabled: bool = False
    last_sign_in_at: datetime | None = None

    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.district_code, self.party_id)

    def bound_to(self, party_id: str) -> Account:
        return replace(self, party_id=party_id)


#: the longest login search (a login is at most an e-mail address long)
MAX_SEARCH = 254


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts a listing shows: each given condition must hold."""

    role: Role | None = None
    district_code: str | None = None
    #: the start of the login, as logins are stored (see :func:`search_prefix`)
    login_prefix: str | None = None
    disabled: bool | None = None


def search_prefix(search: str | None) -> str | None:
    """What a login search matches the start of stored logins with: lower-cased, and a
    phone number's spaces and dashes dropped (as :func:`normalise_login` stores them);
    None for an empty search."""
    if search is None:
        return None
    value = search.strip().lower()
    if len(value) > MAX_SEARCH:
        raise invalid(
            [
                FieldError(
                    "search",
                    "TOO_LONG",
                    Message(
                        f"搜索内容最多 {MAX_SEARCH} 个字符",
                        f"search: at most {MAX_SEARCH} characters",
                    ),
                )
            ]
        )
    if re.fullmatch(r"[+0-9\s-]+", value):
        value = re.sub(r"[\s-]", "", value)
    return value or None
