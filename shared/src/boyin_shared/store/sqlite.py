"""Embedded adapter: one SQLite file per service database, JSON documents in one table each.

All statements run on one dedicated thread per database, so a read-modify-write
inside ``update`` is atomic with respect to every other call on the same store.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from boyin_shared.store import changes, filters
from boyin_shared.store.port import AlreadyExists, Document, Edit, Filter, Index, Sort, Update

T = TypeVar("T")


class SqliteDatabase:
    """A SQLite connection owned by one worker thread."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._local = threading.local()
        self._closed = False

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=5000")
            self._local.conn = conn
        return conn

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._closed:
            raise RuntimeError(f"database {self.path} is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self._connection()))

    async def close(self) -> None:
        if self._closed:
            return

        def _close(_: sqlite3.Connection) -> None:
            conn = getattr(self._local, "conn", None)
            if conn is not None:
                conn.close()
                self._local.conn = None

        await self.run(_close)
        self._closed = True
        self._executor.shutdown(wait=True)


#: a top-level field name, safe to write into a JSON path literal
_TOP_LEVEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


#: what an edit SQL applies sets, adds to, appends to (and how many) and is guarded by,
#: and whether it bumps the revision: edits of one shape share one statement
_Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, int], ...], tuple[str, ...], bool]


def _table(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad collection name {name!r}")
    return f'"c_{name}"'


def _load(text: str) -> Document:
    doc: Document = filters.loads(text)
    return doc


_INT64 = range(-(2**63), 2**63)


class _Texts:
    """The stored text of the documents of one ``insert_many``: one JSON array, each
    element ``filters.dumps({**doc, "_rev": 1})`` exactly (``json_each`` hands an
    element's text back unchanged)."""

    def __init__(self, docs: Sequence[Document], array: str) -> None:
        self.docs = docs
        self.array = array
        #: SQLite's ``json_extract(doc, '$._id')`` is then what ``str(doc["_id"])``
        #: gives, once stored in the TEXT column
        self.in_sql = all(
            type(i) is str or (type(i) is int and i in _INT64) for i in (d["_id"] for d in docs)
        )

    def one(self, i: int) -> str:
        return filters.dumps({**self.docs[i], "_rev": 1})


class SqliteCollection:
    def __init__(self, db: SqliteDatabase, name: str) -> None:
        self.db = db
        self.name = name
        self._table = _table(name)
        self._ready = False
        #: fields that hold no lists (``_id``, and every key of an index but a list's)
        self._scalars: set[str] = {"_id"}

    async def _ensure_table(self) -> None:
        if self._ready:
            return

        def create(conn: sqlite3.Connection) -> None:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} "
                "(id TEXT PRIMARY KEY, rev INTEGER NOT NULL, doc TEXT NOT NULL)"
            )

        await self.db.run(create)
        self._ready = True

    async def get(self, doc_id: str) -> Document | None:
        await self._ensure_table()

        def read(conn: sqlite3.Connection) -> Document | None:
            row = conn.execute(f"SELECT doc FROM {self._table} WHERE id = ?", (doc_id,)).fetchone()
            return _load(row[0]) if row else None

        return await self.db.run(read)

    async def get_many(self, ids: Sequence[str]) -> list[Document]:
        if not ids:
            return []
        await self._ensure_table()
        wanted = list(dict.fromkeys(ids))

        def read(conn: sqlite3.Connection) -> list[Document]:
            marks = ",".join("?" * len(wanted))
            rows = conn.execute(
                f"SELECT doc FROM {self._table} WHERE id IN ({marks})", wanted
            ).fetchall()
            return [_load(r[0]) for r in rows]

        return await self.db.run(read)

    def _insert_one(self, conn: sqlite3.Connection, doc: Document) -> None:
        stored = {**doc, "_rev": 1}
        try:
            conn.execute(
                f"INSERT INTO {self._table} (id, rev, doc) VALUES (?, 1, ?)",
                (stored["_id"], filters.dumps(stored)),
            )
        except sqlite3.IntegrityError as exc:
            raise AlreadyExists(self.name, str(stored["_id"])) from exc

    async def insert(self, doc: Document) -> None:
        await self._ensure_table()
        await self.db.run(lambda conn: self._insert_one(conn, doc))

    async def insert_many(self, docs: Sequence[Document]) -> list[str]:
        if not docs:
            return []
        await self._ensure_table()
        # The documents become text here, in the caller's thread: the database thread
        # holds the GIL only to look up the ids and to bind one parameter.
        ids = [str(d["_id"]) for d in docs]
        texts = _Texts(docs, filters.dumps([{**d, "_rev": 1} for d in docs]))

        def write(conn: sqlite3.Connection) -> list[str]:
            conn.execute("BEGIN")
            try:
                clashes = self._insert_all(conn, ids, texts)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return clashes

        return await self.db.run(write)

    def _insert_all(self, conn: sqlite3.Connection, ids: list[str], texts: _Texts) -> list[str]:
        """Inside a transaction: the documents whose ids are new, the first of each id,
        in one statement; the ids left out, and then those of the documents a unique
        index turned away (the first document with a key wins, as one by one).

        The statement reads the documents out of one JSON array (``json_each``), so all
        its work runs in one ``sqlite3_step``, without the GIL: ``executemany`` takes the
        GIL back after every row, and waits up to the switch interval for it each time
        while another thread computes."""
        taken: set[str] = set()
        for start in range(0, len(ids), 10_000):
            part = ids[start : start + 10_000]
            marks = ",".join("?" * len(part))
            row = conn.execute(  # one row, however many are taken: one step
                f"SELECT json_group_array(id) FROM {self._table} WHERE id IN ({marks})", part
            ).fetchone()
            taken.update(filters.loads(row[0]))
        planned: list[int] = []
        clashes: list[str] = []
        for i, doc_id in enumerate(ids):
            if doc_id in taken:
                clashes.append(doc_id)
                continue
            taken.add(doc_id)
            planned.append(i)
        if not planned:
            return clashes
        if texts.in_sql:
            try:
                written = self._insert_from_json(conn, texts.array, len(ids), planned)
            except sqlite3.OperationalError as exc:  # NaN or an infinity: not JSON to SQLite
                if "malformed JSON" not in str(exc):
                    raise
                written = self._insert_rows(conn, ids, texts, planned)
        else:
            written = self._insert_rows(conn, ids, texts, planned)
        if written < len(planned):
            wanted = [ids[i] for i in planned]
            row = conn.execute(
                f"SELECT json_group_array(j.value) FROM json_each(?) AS j WHERE NOT EXISTS "
                f"(SELECT 1 FROM {self._table} AS t WHERE t.id = j.value)",
                (filters.dumps(wanted),),
            ).fetchone()
            missing = set(filters.loads(row[0]))
            clashes.extend(doc_id for doc_id in wanted if doc_id in missing)
        return clashes

    def _insert_from_json(
        self, conn: sqlite3.Connection, array: str, count: int, planned: list[int]
    ) -> int:
        """The planned elements of the array, in its order (json_each reads it in order),
        skipping any row a unique index refuses; how many were written."""
        sql = (
            f"INSERT OR IGNORE INTO {self._table} (id, rev, doc) "
            "SELECT json_extract(value, '$._id'), 1, value FROM json_each(?)"
        )
        params: tuple[str, ...] = (array,)
        if len(planned) < count:
            left_out = sorted(set(range(count)) - set(planned))
            sql += " WHERE key NOT IN (SELECT value FROM json_each(?))"
            params = (array, "[" + ",".join(map(str, left_out)) + "]")
        return conn.execute(sql, params).rowcount

    def _insert_rows(
        self, conn: sqlite3.Connection, ids: list[str], texts: _Texts, planned: list[int]
    ) -> int:
        """Row by row, for what one JSON array cannot carry (ids other than strings and
        64-bit integers, numbers JSON has not): as many GIL hand-overs as documents, and
        the documents serialised again here, one by one."""
        cur = conn.executemany(
            f"INSERT OR IGNORE INTO {self._table} (id, rev, doc) VALUES (?, 1, ?)",
            [(ids[i], texts.one(i)) for i in planned],
        )
        return cur.rowcount

    async def replace(self, doc: Document, *, expected_rev: int) -> bool:
        await self._ensure_table()
        stored = {**doc, "_rev": expected_rev + 1}

        def write(conn: sqlite3.Connection) -> bool:
            try:
                cur = conn.execute(
                    f"UPDATE {self._table} SET rev = ?, doc = ? WHERE id = ? AND rev = ?",
                    (expected_rev + 1, filters.dumps(stored), stored["_id"], expected_rev),
                )
            except sqlite3.IntegrityError as exc:
                raise AlreadyExists(self.name, str(stored["_id"])) from exc
            return cur.rowcount == 1

        return await self.db.run(write)

    def _update_one(
        self, conn: sqlite3.Connection, doc_id: str, change: Update, where: Filter | None
    ) -> bool:
        """Inside a transaction the caller opened."""
        row = conn.execute(f"SELECT doc FROM {self._table} WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return False
        doc = _load(row[0])
        if where and not filters.matches_where(doc, where):
            return False
        new = changes.apply(doc, change)
        try:
            conn.execute(
                f"UPDATE {self._table} SET rev = ?, doc = ? WHERE id = ?",
                (new["_rev"], filters.dumps(new), doc_id),
            )
        except sqlite3.IntegrityError as exc:
            raise AlreadyExists(self.name, doc_id) from exc
        return True

    async def update(self, doc_id: str, change: Update, *, where: Filter | None = None) -> bool:
        await self._ensure_table()

        def write(conn: sqlite3.Connection) -> bool:
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = self._update_one(conn, doc_id, change, where)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT" if done else "ROLLBACK")
            return done

        return await self.db.run(write)

    async def update_many(self, edits: Sequence[Edit]) -> int:
        if not edits:
            return 0
        await self._ensure_table()
        # Edits of distinct documents go in a few statements, one per shape (which fields
        # they set, add to and append to, which they are guarded by), their values read
        # from one JSON array made here, in the caller's thread.
        grouped = self._grouped(edits)

        def write(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if grouped is None:
                    changed = self._each(conn, edits)
                else:
                    statements, rest = grouped
                    changed = self._each(conn, rest)
                    for sql, params, members in statements:
                        try:
                            changed += conn.execute(sql, params).rowcount
                        except (sqlite3.IntegrityError, sqlite3.OperationalError):
                            # a unique clash (which edit?) or a value SQLite's JSON cannot
                            # hold: the statement left nothing; these one by one
                            changed += self._each(conn, members)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return changed

        return await self.db.run(write)

    def _each(self, conn: sqlite3.Connection, edits: Sequence[Edit]) -> int:
        """Edits one statement each, in order (inside the caller's transaction)."""
        changed = 0
        for edit in edits:
            shape = self._shape(edit)
            if shape is None:
                changed += self._update_one(conn, *edit)
                continue
            try:
                changed += conn.execute(*self._statement(shape, [edit])).rowcount
            except sqlite3.IntegrityError as exc:
                raise AlreadyExists(self.name, edit.doc_id) from exc
            except sqlite3.OperationalError:  # a value SQLite's JSON cannot hold
                changed += self._update_one(conn, *edit)
        return changed

    def _grouped(
        self, edits: Sequence[Edit]
    ) -> tuple[list[tuple[str, tuple[str], list[Edit]]], list[Edit]] | None:
        """One statement per shape of the edits SQL can apply (and the others, to apply
        one by one); None if a document is edited twice (then they all go one by one, in
        order)."""
        if len({e.doc_id for e in edits}) < len(edits):
            return None
        shapes: dict[_Shape, list[Edit]] = {}
        rest: list[Edit] = []
        for edit in edits:
            shape = self._shape(edit)
            if shape is None:
                rest.append(edit)
            else:
                shapes.setdefault(shape, []).append(edit)
        statements = [
            (*self._statement(shape, members), members) for shape, members in shapes.items()
        ]
        return statements, rest

    @staticmethod
    def _shape(edit: Edit) -> _Shape | None:
        """What an edit sets, adds to, appends to and is guarded by, if SQLite's JSON
        functions can apply it without the document coming to Python: top-level fields
        only, guarded by top-level scalars; None for any other edit, or one that writes
        nothing."""
        change, where = edit.change, edit.where or {}
        fields = [*change.set, *change.inc, *change.push]
        if change.pull or len(set(fields)) < len(fields):
            return None
        if not all(_TOP_LEVEL.match(k) for k in (*fields, *where)):
            return None
        if any(isinstance(v, Mapping | list) for v in where.values()):
            return None
        pushes = tuple((k, len(v)) for k, v in change.push.items() if v)
        if not (change.set or change.inc or pushes or change.bump_rev):
            return None
        return tuple(change.set), tuple(change.inc), pushes, tuple(where), change.bump_rev

    def _statement(self, shape: _Shape, members: Sequence[Edit]) -> tuple[str, tuple[str]]:
        """One UPDATE of every document of ``members`` (edits of one shape, of distinct
        documents), their values read from one JSON array (``json_each``)."""
        sets, incs, pushes, guards, bump = shape
        paths = [f"'$.{k}', j.e -> '$.s.{k}'" for k in sets]
        paths += [
            f"'$.{k}', coalesce(json_extract(doc, '$.{k}'), 0) + (j.e ->> '$.n.{k}')" for k in incs
        ]
        for k, count in pushes:
            # the list as it is (none: empty), each item appended at its end ('$[#]')
            items = ", ".join(f"'$[#]', j.e -> '$.p.{k}[{i}]'" for i in range(count))
            paths.append(
                f"'$.{k}', json_insert(json(coalesce(json_extract(doc, '$.{k}'), '[]')), {items})"
            )
        revision = ""
        if bump:
            paths.append("'$._rev', rev + 1")
            revision = ", rev = rev + 1"
        checks = "".join(f" AND json_extract(doc, '$.{k}') IS (j.e ->> '$.w.{k}')" for k in guards)
        sql = (
            f"UPDATE {self._table} SET doc = json_set(doc, {', '.join(paths)}){revision} "
            f"FROM (SELECT value AS e FROM json_each(?)) AS j "
            f"WHERE {self._table}.id = (j.e ->> '$.i'){checks}"
        )
        rows = [
            {
                "i": e.doc_id,
                "s": e.change.set,
                "n": e.change.inc,
                "p": e.change.push,
                "w": e.where or {},
            }
            for e in members
        ]
        return sql, (filters.dumps(rows),)

    async def delete(self, doc_id: str, *, expected_rev: int | None = None) -> bool:
        await self._ensure_table()

        def write(conn: sqlite3.Connection) -> bool:
            if expected_rev is None:
                cur = conn.execute(f"DELETE FROM {self._table} WHERE id = ?", (doc_id,))
            else:
                cur = conn.execute(
                    f"DELETE FROM {self._table} WHERE id = ? AND rev = ?", (doc_id, expected_rev)
                )
            return cur.rowcount == 1

        return await self.db.run(write)

    async def delete_many(self, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        await self._ensure_table()
        wanted = list(dict.fromkeys(ids))

        def write(conn: sqlite3.Connection) -> int:
            marks = ",".join("?" * len(wanted))
            return conn.execute(f"DELETE FROM {self._table} WHERE id IN ({marks})", wanted).rowcount

        return await self.db.run(write)

    def _select(
        self, what: str, flt: Filter | None, sort: Sort, limit: int | None, skip: int
    ) -> tuple[str, list[Any]]:
        flt = flt or {}
        filters.check(flt)
        params: list[Any] = []
        where = filters.to_sql(flt, params, self._scalars)
        sql = f"SELECT {what} FROM {self._table} WHERE {where}"
        if sort:
            order = [
                f"{filters.extract(field)} {'DESC' if direction < 0 else 'ASC'}"
                for field, direction in sort
            ]
            sql += " ORDER BY " + ", ".join(order)
        if limit is not None or skip:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else limit, skip])
        return sql, params

    async def find(
        self, flt: Filter | None = None, *, sort: Sort = (), limit: int | None = None, skip: int = 0
    ) -> list[Document]:
        await self._ensure_table()
        sql, params = self._select("doc", flt, sort, limit, skip)
        return await self.db.run(
            lambda conn: [_load(r[0]) for r in conn.execute(sql, params).fetchall()]
        )

    async def count(self, flt: Filter | None = None) -> int:
        await self._ensure_table()
        sql, params = self._select("COUNT(*)", flt, (), None, 0)
        return await self.db.run(lambda conn: int(conn.execute(sql, params).fetchone()[0]))

    async def ensure_indexes(self, indexes: Sequence[Index]) -> None:
        await self._ensure_table()
        for index in indexes:
            self._scalars.update(k for k, _ in index.keys[1 if index.over_list else 0 :])

        def create(conn: sqlite3.Connection) -> None:
            for index in indexes:
                if index.over_list:  # one an earlier version built
                    conn.execute(f'DROP INDEX IF EXISTS "{self.name}_{index.name}"')
                    continue
                columns = ", ".join(
                    filters.extract(k) + (" DESC" if d < 0 else "") for k, d in index.keys
                )
                unique = "UNIQUE " if index.unique else ""
                conn.execute(
                    f'CREATE {unique}INDEX IF NOT EXISTS "{self.name}_{index.name}" '
                    f"ON {self._table} ({columns})"
                )

        await self.db.run(create)


class SqliteStore:
    """A service's embedded database: one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.db = SqliteDatabase(path)
        self._collections: dict[str, SqliteCollection] = {}

    def collection(self, name: str) -> SqliteCollection:
        if name not in self._collections:
            self._collections[name] = SqliteCollection(self.db, name)
        return self._collections[name]

    async def ping(self) -> None:
        await self.db.run(lambda conn: conn.execute("SELECT 1").fetchone())

    async def close(self) -> None:
        await self.db.close()
