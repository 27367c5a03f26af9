"""The document store port.

A narrow contract both adapters honour exactly:

* documents are JSON-compatible dicts (strings, numbers, booleans, None, lists, dicts);
  datetimes are stored as ISO-8601 UTC strings so they order the same everywhere;
* every document has a string ``_id`` and a revision ``_rev`` the store increments on
  each write, for optimistic concurrency (no multi-document transactions anywhere);
* filters are a subset of MongoDB's query language checked by :mod:`.filters`;
* updates are structured (:class:`Update`), not free-form operators.

Unique index keys must always be present and non-null: MongoDB treats a missing key
as null (so two documents without it collide) while SQLite does not, and FerretDB 1.x
has no partial or sparse indexes to paper over the difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

Document = dict[str, Any]
Filter = Mapping[str, Any]
Sort = Sequence[tuple[str, int]]


class AlreadyExists(Exception):
    """An insert hit an existing ``_id`` or a unique index."""

    def __init__(self, collection: str, key: str) -> None:
        super().__init__(f"{collection}: duplicate key {key}")
        self.collection = collection
        self.key = key


@dataclass(frozen=True)
class Index:
    """Keys and direction. ``over_list``: the first key holds a list. MongoDB indexes
    each of its elements; the embedded SQLite store filters lists element by element
    (``json_each``), which an index over the list's JSON text cannot serve, so it does
    not build one (it would only slow every write)."""

    keys: tuple[tuple[str, int], ...]
    unique: bool = False
    over_list: bool = False

    @property
    def name(self) -> str:
        return "ix_" + "_".join(f"{k.replace('.', '_')}_{d}" for k, d in self.keys)


@dataclass(frozen=True)
class Update:
    """One atomic change to one document.

    ``set`` assigns top-level or dotted fields, ``inc`` adds to numbers, ``push`` appends
    items to lists, ``pull`` removes the items of a list equal to any of the given whole
    values (``$pullAll``: FerretDB 1.x silently ignores ``$pull`` with a condition).
    """

    set: Mapping[str, Any] = field(default_factory=dict)
    inc: Mapping[str, int] = field(default_factory=dict)
    push: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    pull: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    #: Bookkeeping writes (the outbox relay) leave ``_rev`` alone so they never make
    #: a concurrent domain write fail its optimistic check.
    bump_rev: bool = True


class Edit(NamedTuple):
    """One document's change in :meth:`Collection.update_many`: as ``update`` takes it."""

    doc_id: str
    change: Update
    where: Filter | None = None


class Collection(Protocol):
    name: str

    async def get(self, doc_id: str) -> Document | None: ...

    async def get_many(self, ids: Sequence[str]) -> list[Document]: ...

    async def insert(self, doc: Document) -> None:
        """Insert a new document (``_rev`` becomes 1); :class:`AlreadyExists` on a clash."""
        ...

    async def insert_many(self, docs: Sequence[Document]) -> list[str]:
        """Insert each document on its own; returns the ids that already existed."""
        ...

    async def replace(self, doc: Document, *, expected_rev: int) -> bool:
        """Replace the whole document if its revision is still ``expected_rev``."""
        ...

    async def update(self, doc_id: str, change: Update, *, where: Filter | None = None) -> bool:
        """Apply ``change`` if the document exists and matches the equality ``where``.

        Increments ``_rev``. Returns whether a document was changed.
        """
        ...

    async def update_many(self, edits: Sequence[Edit]) -> int:
        """Apply each edit as ``update`` would, in one round trip to the database. Each is
        atomic on its own document, not all of them together (no transactions across
        documents). Returns how many documents were changed. An edit that would break a
        unique index raises :class:`AlreadyExists`, and which of the others were applied
        is then undefined (FerretDB 1.x stops at the clash, MongoDB goes on, SQLite
        applies none): use ``update`` for edits that may clash."""
        ...

    async def delete(self, doc_id: str, *, expected_rev: int | None = None) -> bool: ...

    async def delete_many(self, ids: Sequence[str]) -> int:
        """Delete the documents of ``ids`` (unguarded) in one round trip; returns how many
        there were."""
        ...

    async def find(
        self,
        flt: Filter | None = None,
        *,
        sort: Sort = (),
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]: ...

    async def count(self, flt: Filter | None = None) -> int: ...

    async def ensure_indexes(self, indexes: Sequence[Index]) -> None: ...


class DocumentStore(Protocol):
    """One service's database."""

    def collection(self, name: str) -> Collection: ...

    async def ping(self) -> None:
        """Raise :class:`boyin_shared.errors.TransientError` if the database cannot answer."""
        ...

    async def close(self) -> None: ...
