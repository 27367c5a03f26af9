"""Accounts as stored documents, and the staff's listing of them (newest first, a page at
a time), on either document store (SQLite or the MongoDB-wire server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boyin_gateway.accounts.domain import Account, AccountFilter
from boyin_shared.identity import Role
from boyin_shared.store import Collection, Filter, Index

#: the listing's indexes: by role (its usual filter) and by login (the search's prefix),
#: each newest first
INDEXES = (
    Index((("role", 1), ("_id", -1))),
    Index((("login", 1), ("_id", -1))),
)


def account_doc(a: Account) -> dict[str, Any]:
    return {
        "_id": a.id,
        "login": a.login,
        "password_hash": a.password_hash,
        "role": a.role.value,
        "district_code": a.district_code,
        "party_id": a.party_id,
        "created_at": a.created_at.isoformat(),
        "disabled": a.disabled,
        "last_sign_in_at": a.last_sign_in_at.isoformat() if a.last_sign_in_at else None,
    }


def account_of(doc: dict[str, Any]) -> Account:
    last = doc.get("last_sign_in_at")
    return Account(
        id=doc["_id"],
        login=doc["login"],
        password_hash=doc["password_hash"],
        role=Role(doc["role"]),
        district_code=doc.get("district_code"),
        party_id=doc.get("party_id"),
        created_at=datetime.fromisoformat(doc["created_at"]),
        disabled=bool(doc.get("disabled")),
        last_sign_in_at=datetime.fromisoformat(last) if last else None,
    )


@dataclass(frozen=True)
class AccountPage:
    items: list[Account]
    #: the cursor of the next page (the last item's id), None on the last page
    next_after: str | None


def _query(flt: AccountFilter, after: str | None) -> Filter:
    query: dict[str, Any] = {}
    if flt.role is not None:
        query["role"] = flt.role.value
    if flt.district_code is not None:
        query["district_code"] = flt.district_code
    if flt.disabled is not None:
        query["disabled"] = flt.disabled
    if flt.login_prefix:
        # a prefix as a range: both stores compare strings by code point
        query["login"] = {"$gte": flt.login_prefix, "$lt": flt.login_prefix + "\U0010ffff"}
    if after is not None:
        query["_id"] = {"$lt": after}
    return query


async def account_page(
    accounts: Collection, flt: AccountFilter, after: str | None, limit: int
) -> AccountPage:
    """Up to ``limit`` accounts matching ``flt``, newest first, after the cursor ``after``."""
    docs = await accounts.find(_query(flt, after), sort=[("_id", -1)], limit=limit + 1)
    items = [account_of(d) for d in docs[:limit]]
    return AccountPage(items, items[-1].id if len(docs) > limit else None)
