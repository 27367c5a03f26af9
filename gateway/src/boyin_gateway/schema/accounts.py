"""GraphQL of accounts: sign up, sign in, refresh, sign out, staff-created accounts and
the staff's listing of them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from boyin_gateway import paging
from boyin_gateway.accounts.domain import Account as AccountModel
from boyin_gateway.accounts.domain import AccountFilter as AccountFilterModel
from boyin_gateway.accounts.domain import search_prefix
from boyin_gateway.accounts.repository import AccountPage
from boyin_gateway.accounts.tokens import TokenPair
from boyin_gateway.attempts import PasswordThrottle
from boyin_gateway.context import Context
from boyin_gateway.errors import problem
from boyin_gateway.permissions import SignedIn, guarded_field, nothing, staff_field
from boyin_gateway.types import Conflict, Forbidden, InvalidInput, NotFound, PageInfo
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Role

Info = strawberry.Info[Context, None]


#: roles no account has: a visitor (not signed in) and a service (not a person)
_NO_ACCOUNT = (Role.PUBLIC, Role.SERVICE)

if TYPE_CHECKING:
    AccountRole = Role  # to the type checker: its members are Role's
else:
    #: the roles an account may have: Role's members, in Role's order, but _NO_ACCOUNT's
    AccountRole = strawberry.enum(
        Enum("AccountRole", [(r.name, r.value) for r in Role if r not in _NO_ACCOUNT]),
        name="AccountRole",
    )


@strawberry.type
class Account:
    id: strawberry.ID
    login: str
    role: AccountRole
    district_code: str | None
    party_id: str | None

    @classmethod
    def of(cls, a: AccountModel) -> Account:
        return cls(
            id=strawberry.ID(a.id),
            login=a.login,
            role=AccountRole(a.role.value),
            district_code=a.district_code,
            party_id=a.party_id,
        )


@strawberry.enum(description="Whether an account may sign in.")
class AccountStatus(Enum):
    ACTIVE = "active"
    DISABLED = "disabled"


@strawberry.type(
    description="An account as the staff's listing shows it: who signs in with which "
    "role, never a password hash or a session."
)
class ListedAccount:
    id: strawberry.ID
    login: str
    role: AccountRole
    district_code: str | None
    created_at: datetime
    status: AccountStatus
    last_sign_in_at: datetime | None = strawberry.field(
        description="When the account last signed in with its password (null: not since "
        "sign-ins were recorded)."
    )

    @classmethod
    def of(cls, a: AccountModel) -> ListedAccount:
        return cls(
            id=strawberry.ID(a.id),
            login=a.login,
            role=AccountRole(a.role.value),
            district_code=a.district_code,
            created_at=a.created_at,
            status=AccountStatus.DISABLED if a.disabled else AccountStatus.ACTIVE,
            last_sign_in_at=a.last_sign_in_at,
        )


@strawberry.type(description="A page of accounts, newest first (staff).")
class AccountConnection:
    nodes: list[ListedAccount]
    page_info: PageInfo

    @classmethod
    def of(cls, page: AccountPage) -> AccountConnection:
        return cls(
            nodes=[ListedAccount.of(a) for a in page.items],
            page_info=PageInfo(
                has_next_page=page.next_after is not None, end_cursor=page.next_after
            ),
        )


@strawberry.input(description="Which accounts to list; each condition given must hold.")
class AccountFilter:
    role: AccountRole | None = None
    district_code: str | None = None
    search: str | None = strawberry.field(
        default=None, description="The start of the login (case-insensitive)."
    )
    status: AccountStatus | None = None


#: the most accounts a page shows
MAX_PAGE = 100


@strawberry.type
class Session:
    access_token: str
    refresh_token: str
    expires_in: int

    @classmethod
    def of(cls, t: TokenPair) -> Session:
        return cls(
            access_token=t.access_token, refresh_token=t.refresh_token, expires_in=t.expires_in
        )


@strawberry.type
class SignedUp:
    account: Account
    session: Session


SignUpResult = Annotated[
    SignedUp | InvalidInput | Conflict | Forbidden, strawberry.union("SignUpResult")
]
SessionResult = Annotated[Session | Forbidden, strawberry.union("SessionResult")]
AccountsResult = Annotated[
    AccountConnection | InvalidInput | Forbidden, strawberry.union("AccountsResult")
]
CreateAccountResult = Annotated[
    Account | InvalidInput | Conflict | Forbidden, strawberry.union("CreateAccountResult")
]


@strawberry.type
class AccountQuery:
    @guarded_field(SignedIn(nothing))
    async def me(self, info: Info) -> Account | None:
        account = await info.context.accounts.get(info.context.actor.account_id)
        return Account.of(account) if account else None

    @staff_field("Accounts, newest first, a page at a time (operators and administrators).")
    async def accounts(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: AccountFilter | None = None,
    ) -> AccountsResult:
        wanted = filter or AccountFilter()
        try:
            flt = AccountFilterModel(
                role=Role(wanted.role.value) if wanted.role else None,
                district_code=wanted.district_code or None,
                login_prefix=search_prefix(wanted.search),
                disabled=None if wanted.status is None else wanted.status is AccountStatus.DISABLED,
            )
        except BoyinError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput), result
            return result
        return await paging.paged(
            first,
            after,
            prefix="acc_",
            maximum=MAX_PAGE,
            fetch=lambda cursor, size: info.context.accounts.listing(flt, cursor, size),
            shown=AccountConnection.of,
            empty=AccountPage([], None),
        )


@strawberry.type
class AccountMutation:
    # password checks are limited per client address and in all (see attempts.py)
    @strawberry.mutation(  # type: ignore[untyped-decorator]
        extensions=[PasswordThrottle("TOO_MANY_SIGN_UP_ATTEMPTS", per_login=False)]
    )
    async def sign_up(
        self, info: Info, login: str, password: str, role: AccountRole
    ) -> SignUpResult:
        try:
            account, tokens = await info.context.accounts.sign_up(login, password, Role(role.value))
        except BoyinError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Conflict)
            return result
        return SignedUp(account=Account.of(account), session=Session.of(tokens))

    # ... and failed attempts per login and client address
    @strawberry.mutation(  # type: ignore[untyped-decorator]
        extensions=[PasswordThrottle("TOO_MANY_SIGN_IN_ATTEMPTS", per_login=True)]
    )
    async def sign_in(self, info: Info, login: str, password: str) -> SessionResult:
        try:
            return Session.of(await info.context.accounts.sign_in(login, password))
        except BoyinError as exc:
            result = problem(exc)
            assert isinstance(result, Forbidden)
            return result

    # Trade a refresh token for a new session; each refresh token works once.
    @strawberry.mutation
    async def refresh_session(self, info: Info, refresh_token: str) -> SessionResult:
        try:
            return Session.of(await info.context.accounts.rotate(refresh_token))
        except BoyinError as exc:
            result = problem(exc)
            assert isinstance(result, Forbidden)
            return result

    # Revoke the session (token family) the refresh token belongs to.
    @strawberry.mutation
    async def sign_out(self, info: Info, refresh_token: str) -> bool:
        await info.context.accounts.sign_out(refresh_token)
        return True

    # Staff create district officer, mentor, investor and operator accounts.
    @strawberry.mutation
    async def create_account(
        self,
        info: Info,
        login: str,
        password: str,
        role: AccountRole,
        district_code: str | None = None,
    ) -> CreateAccountResult:
        async def districts() -> set[str]:
            return {d.code for d in await info.context.reference.districts(info.context.registry)}

        try:
            account = await info.context.accounts.create_account(
                info.context.actor,
                login,
                password,
                Role(role.value),
                district_code,
                districts=districts,
            )
        except BoyinError as exc:
            result = problem(exc)
            assert not isinstance(result, NotFound), result
            return result
        return Account.of(account)
