"""Production adapter: MongoDB wire protocol through PyMongo's async API.

Runs unchanged on MongoDB and on FerretDB 1.x, so it uses no transactions, no change
streams and only plain single-field or compound indexes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError, OperationFailure

from boyin_shared.errors import TransientError
from boyin_shared.store import filters
from boyin_shared.store.port import (
    AlreadyExists,
    Document,
    Edit,
    Filter,
    Index,
    Sort,
    Update,
)

# Server error codes that mean "try again": interrupted at shutdown, not primary, etc.
_TRANSIENT_CODES = {6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436}


@asynccontextmanager
async def _translated(collection: str, key: str = "") -> AsyncIterator[None]:
    try:
        yield
    except DuplicateKeyError as exc:
        raise AlreadyExists(collection, key) from exc
    except ConnectionFailure as exc:  # includes AutoReconnect, timeouts, selection failures
        raise TransientError(f"database unavailable: {exc}") from exc
    except OperationFailure as exc:
        if exc.code in _TRANSIENT_CODES:
            raise TransientError(f"database unavailable: {exc}") from exc
        raise


def _sort(sort: Sort) -> list[tuple[str, int]]:
    return [(k, DESCENDING if d < 0 else ASCENDING) for k, d in sort]


#: updates sent in one command: FerretDB 1.24 stops answering (every client, until it is
#: restarted) when one ``update`` command holds 100 statements or more; 99 work
BULK_EDITS = 50


def _operators(change: Update) -> dict[str, Any]:
    ops: dict[str, Any] = {}
    inc = {**change.inc, **({"_rev": 1} if change.bump_rev else {})}
    if inc:
        ops["$inc"] = inc
    if change.set:
        ops["$set"] = dict(change.set)
    if change.push:
        ops["$push"] = {k: {"$each": list(v)} for k, v in change.push.items()}
    if change.pull:
        ops["$pullAll"] = {k: list(vs) for k, vs in change.pull.items()}
    return ops


class MongoCollection:
    def __init__(self, raw: AsyncCollection[Document], name: str) -> None:
        self._raw = raw
        self.name = name

    async def get(self, doc_id: str) -> Document | None:
        async with _translated(self.name):
            return await self._raw.find_one({"_id": doc_id})

    async def get_many(self, ids: Sequence[str]) -> list[Document]:
        if not ids:
            return []
        async with _translated(self.name):
            return await self._raw.find({"_id": {"$in": list(dict.fromkeys(ids))}}).to_list()

    async def insert(self, doc: Document) -> None:
        async with _translated(self.name, str(doc.get("_id"))):
            await self._raw.insert_one({**doc, "_rev": 1})

    async def insert_many(self, docs: Sequence[Document]) -> list[str]:
        if not docs:
            return []
        clashes: list[str] = []
        async with _translated(self.name):
            try:
                await self._raw.insert_many([{**d, "_rev": 1} for d in docs], ordered=False)
            except BulkWriteError as exc:
                for error in exc.details.get("writeErrors", []):
                    if error.get("code") != 11000:
                        raise
                    clashes.append(str(docs[error["index"]]["_id"]))
        return clashes

    async def replace(self, doc: Document, *, expected_rev: int) -> bool:
        async with _translated(self.name, str(doc.get("_id"))):
            result = await self._raw.replace_one(
                {"_id": doc["_id"], "_rev": expected_rev}, {**doc, "_rev": expected_rev + 1}
            )
        return result.matched_count == 1

    async def update(self, doc_id: str, change: Update, *, where: Filter | None = None) -> bool:
        async with _translated(self.name, doc_id):
            result = await self._raw.update_one(
                {**(where or {}), "_id": doc_id}, _operators(change)
            )
        return result.matched_count == 1

    async def update_many(self, edits: Sequence[Edit]) -> int:
        changed = 0
        for start in range(0, len(edits), BULK_EDITS):
            changed += await self._bulk(edits[start : start + BULK_EDITS])
        return changed

    async def _bulk(self, edits: Sequence[Edit]) -> int:
        ops = [UpdateOne({**(e.where or {}), "_id": e.doc_id}, _operators(e.change)) for e in edits]
        async with _translated(self.name):
            try:
                result = await self._raw.bulk_write(ops, ordered=False)
            except BulkWriteError as exc:  # MongoDB: the others were applied
                clashes = [e for e in exc.details.get("writeErrors", []) if e.get("code") == 11000]
                if not clashes:
                    raise
                raise AlreadyExists(self.name, str(edits[clashes[0]["index"]].doc_id)) from exc
        return result.matched_count

    async def delete(self, doc_id: str, *, expected_rev: int | None = None) -> bool:
        query: dict[str, Any] = {"_id": doc_id}
        if expected_rev is not None:
            query["_rev"] = expected_rev
        async with _translated(self.name, doc_id):
            result = await self._raw.delete_one(query)
        return result.deleted_count == 1

    async def delete_many(self, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        async with _translated(self.name):
            result = await self._raw.delete_many({"_id": {"$in": list(dict.fromkeys(ids))}})
        return result.deleted_count

    async def find(
        self, flt: Filter | None = None, *, sort: Sort = (), limit: int | None = None, skip: int = 0
    ) -> list[Document]:
        flt = dict(flt or {})
        filters.check(flt)
        cursor = self._raw.find(flt)
        if sort:
            cursor = cursor.sort(_sort(sort))
        if skip:
            cursor = cursor.skip(skip)
        if limit is not None:
            if limit == 0:
                return []
            cursor = cursor.limit(limit)
        async with _translated(self.name):
            return await cursor.to_list()

    async def count(self, flt: Filter | None = None) -> int:
        flt = dict(flt or {})
        filters.check(flt)
        async with _translated(self.name):
            return await self._raw.count_documents(flt)

    async def ensure_indexes(self, indexes: Sequence[Index]) -> None:
        async with _translated(self.name):
            for index in indexes:
                await self._raw.create_index(
                    _sort(index.keys), unique=index.unique, name=index.name
                )


class MongoStore:
    """A service's database on a MongoDB-wire server."""

    def __init__(self, url: str, database: str, *, timeout_ms: int = 5000) -> None:
        self._client: AsyncMongoClient[Document] = AsyncMongoClient(
            url,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            # a server that stops answering fails the call (a transient error) after two
            # minutes instead of holding it forever
            socketTimeoutMS=120_000,
            retryWrites=False,  # FerretDB 1.x is a standalone without sessions
            tz_aware=True,
        )
        self._db: AsyncDatabase[Document] = self._client[database]
        self._collections: dict[str, MongoCollection] = {}

    def collection(self, name: str) -> MongoCollection:
        if name not in self._collections:
            self._collections[name] = MongoCollection(self._db[name], name)
        return self._collections[name]

    async def ping(self) -> None:
        async with _translated("admin"):
            await self._db.command("ping")

    async def drop_database(self) -> None:
        async with _translated("admin"):
            await self._client.drop_database(self._db.name)

    async def close(self) -> None:
        await self._client.close()
