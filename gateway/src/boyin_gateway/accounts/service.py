"""Account use cases: sign up, sign in, rotate and revoke tokens, staff-created accounts."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import timedelta

from boyin_gateway.accounts.domain import (
    CREATED_BY,
    SELF_SERVICE,
    Account,
    AccountFilter,
    check_login,
    check_password,
)
from boyin_gateway.accounts.passwords import hashed, matches
from boyin_gateway.accounts.repository import (
    INDEXES,
    AccountPage,
    account_doc,
    account_of,
    account_page,
)
from boyin_gateway.accounts.tokens import (
    ACCESS_TTL_SECONDS,
    REFRESH_TTL_SECONDS,
    TokenPair,
    issue_access,
    new_refresh_token,
    refresh_key,
)
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import (
    BoyinError,
    FieldError,
    Message,
    conflict,
    forbidden,
    invalid,
    unauthenticated,
)
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists, DocumentStore, Update

#: how long a session found live is trusted before it is looked up again
SESSION_CHECK_SECONDS = 5.0


def _bad_credentials() -> BoyinError:
    return BoyinError(
        code="INVALID_CREDENTIALS",
        message=Message("账号或密码不正确", "Wrong login or password"),
        status=401,
    )


def already_bound() -> BoyinError:
    """The account already acts for another talent or organisation."""
    return conflict(
        "ALREADY_BOUND",
        Message("该账号已关联其他主体", "this account already belongs to another party"),
    )


@dataclass
class Accounts:
    store: DocumentStore
    jwt_secret: str

    def __post_init__(self) -> None:
        self.accounts = self.store.collection("accounts")
        # ``_id`` is the normalised login, so claiming a login is one atomic insert.
        self.logins = self.store.collection("logins")
        self.refresh = self.store.collection("refresh_tokens")
        self.families = self.store.collection("token_families")
        self._revoked: set[str] = set()
        self._live: dict[str, float] = {}  # session id -> when to check it again

    async def prepare(self) -> None:
        """Build the indexes the staff's listing uses (idempotent; at start-up)."""
        await self.accounts.ensure_indexes(INDEXES)

    # -- accounts ---------------------------------------------------------------------

    async def listing(self, flt: AccountFilter, after: str | None, limit: int) -> AccountPage:
        """A page of accounts, newest first (the caller checks who may list them)."""
        return await account_page(self.accounts, flt, after, limit)

    async def _create(
        self, login: str, password: str, role: Role, district_code: str | None
    ) -> Account:
        normalised = check_login(login)
        check_password(password)
        account = Account(
            id=new_id("acc_"),
            login=normalised,
            password_hash=await hashed(password),
            role=role,
            district_code=district_code,
            party_id=None,
            created_at=utcnow(),
        )
        try:
            await self.logins.insert({"_id": normalised, "account_id": account.id})
        except AlreadyExists:
            taken = conflict(
                "LOGIN_TAKEN", Message("该账号已注册", "This login is already registered")
            )
            taken.fields.append(
                FieldError("login", "LOGIN_TAKEN", Message("该账号已注册", "already registered"))
            )
            raise taken from None
        await self.accounts.insert(account_doc(account))
        return account

    async def sign_up(self, login: str, password: str, role: Role) -> tuple[Account, TokenPair]:
        if role not in SELF_SERVICE:
            raise invalid(
                [
                    FieldError(
                        "role",
                        "NOT_SELF_SERVICE",
                        Message("该角色需由工作人员开通", "this role is created by staff"),
                    )
                ]
            )
        account = await self._create(login, password, role, None)
        return account, await self._tokens(account, family=None)

    async def create_account(
        self,
        by: Actor,
        login: str,
        password: str,
        role: Role,
        district_code: str | None,
        *,
        districts: Callable[[], Awaitable[Collection[str]]] | None = None,
    ) -> Account:
        """A staff-created account. ``districts`` gives the known district codes (the
        registry's), which a district officer's must be one of (not checked without it)."""
        if role not in CREATED_BY.get(by.role, ()):
            raise forbidden(
                Message("无权开通该角色的账号", "you may not create accounts of this role")
            )
        if (role is Role.DISTRICT_OFFICER) != bool(district_code):
            raise invalid(
                [
                    FieldError(
                        "districtCode",
                        "DISTRICT",
                        Message(
                            "区县工作人员必须且只有其需指定区县",
                            "district officers, and only they, have a district",
                        ),
                    )
                ]
            )
        if district_code and districts is not None and district_code not in await districts():
            raise invalid(
                [
                    FieldError(
                        "districtCode",
                        "UNKNOWN_DISTRICT",
                        Message(
                            f"未知的区县代码：{district_code}",
                            f"unknown district code: {district_code}",
                        ),
                    )
                ]
            )
        return await self._create(login, password, role, district_code)

    async def ensure_admin(self, login: str, password: str) -> None:
        """Create the first administrator from settings (idempotent: also when another
        gateway process, starting at the same time, made it first)."""
        if await self.logins.get(check_login(login)) is None:
            try:
                await self._create(login, password, Role.ADMIN, None)
            except BoyinError as exc:
                if exc.code != "LOGIN_TAKEN":
                    raise

    async def create_admin(self, login: str, password: str) -> Account:
        """An administrator made by an operator's command (``boyin_platform create-admin``);
        ``LOGIN_TAKEN`` when the login exists."""
        return await self._create(login, password, Role.ADMIN, None)

    async def find(self, login: str) -> Account | None:
        """The account of a login, if any."""
        entry = await self.logins.get(check_login(login))
        return None if entry is None else await self.get(entry["account_id"])

    async def set_password(self, account_id: str, password: str) -> None:
        """A new password for an account (an operator's reset); its sessions stay valid
        until they expire or sign out."""
        check_password(password)
        await self.accounts.update(
            account_id, Update(set={"password_hash": await hashed(password)})
        )

    async def get(self, account_id: str) -> Account | None:
        doc = await self.accounts.get(account_id)
        return None if doc is None else account_of(doc)

    async def bind_party(self, account_id: str, party_id: str) -> Account:
        """Tie a self-registered account to the talent or organisation it registered."""
        doc = await self.accounts.get(account_id)
        if doc is None:
            raise unauthenticated()
        if doc.get("party_id") not in (None, party_id):
            raise already_bound()
        await self.accounts.update(account_id, Update(set={"party_id": party_id}))
        bound = await self.get(account_id)
        assert bound is not None
        return bound

    # -- sessions ---------------------------------------------------------------------

    async def sign_in(self, login: str, password: str) -> TokenPair:
        entry = await self.logins.get(check_login_quietly(login))
        account = await self.get(entry["account_id"]) if entry else None
        if not await matches(account.password_hash if account else None, password):
            raise _bad_credentials()
        if account is None or account.disabled:
            raise _bad_credentials()
        await self.accounts.update(
            account.id, Update(set={"last_sign_in_at": utcnow().isoformat()})
        )
        return await self._tokens(account, family=None)

    async def _tokens(self, account: Account, family: str | None) -> TokenPair:
        family = family or new_id("fam_")
        if await self.families.get(family) is None:
            await self.families.insert({"_id": family, "account_id": account.id, "revoked": False})
        token = new_refresh_token()
        await self.refresh.insert(
            {
                "_id": refresh_key(token),
                "family": family,
                "account_id": account.id,
                "expires_at": (utcnow() + timedelta(seconds=REFRESH_TTL_SECONDS)).isoformat(),
                "used": False,
            }
        )
        return TokenPair(
            access_token=issue_access(
                dataclasses.replace(account.actor(), session_id=family), self.jwt_secret
            ),
            refresh_token=token,
            expires_in=ACCESS_TTL_SECONDS,
        )

    async def rotate(self, refresh_token: str) -> TokenPair:
        """A refresh token is good once: using it again revokes its whole family."""
        doc = await self.refresh.get(refresh_key(refresh_token))
        if doc is None or doc["expires_at"] < utcnow().isoformat():
            raise unauthenticated()
        family = await self.families.get(doc["family"])
        if family is None or family["revoked"]:
            raise unauthenticated()
        first_use = await self.refresh.update(
            doc["_id"], Update(set={"used": True}), where={"used": False}
        )
        if not first_use:
            await self.families.update(doc["family"], Update(set={"revoked": True}))
            self._revoked.add(doc["family"])
            raise unauthenticated()
        account = await self.get(doc["account_id"])
        if account is None or account.disabled:
            raise unauthenticated()
        return await self._tokens(account, family=doc["family"])

    async def sign_out(self, refresh_token: str) -> None:
        doc = await self.refresh.get(refresh_key(refresh_token))
        if doc is not None:
            await self.families.update(doc["family"], Update(set={"revoked": True}))
            self._revoked.add(doc["family"])

    async def session_revoked(self, session_id: str) -> bool:
        """Whether the session an access token belongs to was signed out (or its refresh
        token reused). A live session is re-checked after ``SESSION_CHECK_SECONDS``, so a
        sign-out at another gateway replica takes effect within that time."""
        if session_id in self._revoked:
            return True
        now = time.monotonic()
        if self._live.get(session_id, 0.0) > now:
            return False
        family = await self.families.get(session_id)
        if family is None or family["revoked"]:
            self._revoked.add(session_id)
            return True
        if len(self._live) > 100_000:
            self._live.clear()
        self._live[session_id] = now + SESSION_CHECK_SECONDS
        return False


def check_login_quietly(login: str) -> str:
    try:
        return check_login(login)
    except BoyinError:
        return "-"
