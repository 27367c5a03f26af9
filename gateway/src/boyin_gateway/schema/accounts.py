"""GraphQL of accounts: sign up, sign in, refresh, sign out, staff-created accounts."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from boyin_gateway.accounts.domain import Account as AccountModel
from boyin_gateway.accounts.tokens import TokenPair
from boyin_gateway.attempts import PasswordThrottle
from boyin_gateway.context import Context
from boyin_gateway.errors import problem
from boyin_gateway.permissions import SignedIn, guarded_field, nothing
from boyin_gateway.types import Conflict, Forbidden, InvalidInput, NotFound
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
CreateAccountResult = Annotated[
    Account | InvalidInput | Conflict | Forbidden, strawberry.union("CreateAccountResult")
]


@strawberry.type
class AccountQuery:
    @guarded_field(SignedIn(nothing))
    async def me(self, info: Info) -> Account | None:
        account = await info.context.accounts.get(info.context.actor.account_id)
        return Account.of(account) if account else None


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
