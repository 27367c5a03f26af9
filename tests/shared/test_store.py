"""The document store port: one suite, both adapters (SQLite and the real server)."""

from __future__ import annotations

import asyncio
import math
import random
from pathlib import Path
from typing import Any

import pytest

from boyin_shared.store import AlreadyExists, DocumentStore, Edit, Index, Update, filters
from boyin_shared.store.filters import UnsupportedFilter
from boyin_shared.store.sqlite import SqliteStore


async def _seed(store: DocumentStore) -> None:
    people = store.collection("people")
    for i, (name, district, tags, score) in enumerate(
        [
            ("Ada", "yuzhong", ["ai", "robots"], 5),
            ("Bo", "jiangbei", ["ai"], 3),
            ("Chen", "yuzhong", [], 8),
            ("Dai", "liangjiang", ["materials"], None),
        ]
    ):
        await people.insert(
            {
                "_id": f"p{i}",
                "name": name,
                "profile": {"district": district, "active": i % 2 == 0},
                "tags": tags,
                "score": score,
                "joined": f"2026-0{i + 1}-01T00:00:00Z",
            }
        )


async def test_insert_get_and_duplicate(store: DocumentStore) -> None:
    c = store.collection("things")
    await c.insert({"_id": "a", "title": "中文标题", "n": 1})
    doc = await c.get("a")
    assert doc == {"_id": "a", "title": "中文标题", "n": 1, "_rev": 1}
    with pytest.raises(AlreadyExists):
        await c.insert({"_id": "a", "n": 2})
    assert (await c.get("a") or {})["n"] == 1
    assert await c.get("missing") is None


async def test_unique_index_rejects_second_key(store: DocumentStore) -> None:
    c = store.collection("accounts")
    await c.ensure_indexes([Index((("email", 1),), unique=True)])
    await c.ensure_indexes([Index((("email", 1),), unique=True)])  # idempotent
    await c.insert({"_id": "1", "email": "a@example.org"})
    with pytest.raises(AlreadyExists):
        await c.insert({"_id": "2", "email": "a@example.org"})
    assert await c.count() == 1


async def test_insert_many_reports_clashes_and_keeps_the_rest(store: DocumentStore) -> None:
    c = store.collection("rows")
    await c.insert({"_id": "r2", "v": 0})
    clashes = await c.insert_many([{"_id": f"r{i}", "v": i} for i in range(5)])
    assert clashes == ["r2"]
    assert await c.count() == 5
    assert (await c.get("r2") or {})["v"] == 0
    # a clash on a unique index, and an id given twice: each the only one left out
    c = store.collection("coded")
    await c.ensure_indexes([Index((("code", 1),), unique=True)])
    await c.insert({"_id": "k0", "code": "taken"})
    clashes = await c.insert_many(
        [
            {"_id": "k1", "code": "a"},
            {"_id": "k2", "code": "taken"},
            {"_id": "k3", "code": "b"},
            {"_id": "k1", "code": "c"},
        ]
    )
    assert sorted(clashes) == ["k1", "k2"]
    assert [d["code"] for d in await c.get_many(["k1", "k3"])] == ["a", "b"]
    assert await c.get("k2") is None


#: values whose JSON text must come back as written: non-ASCII and escaped text, floats
#: (one written with ``.0``), nested lists and objects, null and booleans (no list
#: directly in a list: FerretDB 1.x refuses them)
_AWKWARD: dict[str, Any] = {
    "title": '中文标题 "引号" back\\slash\nnew line\ttab \x01 😀 é',
    "score": 0.760493814945221,
    "one": 1.0,
    "tiny": 1e-7,
    "negative": -12,
    "nested": {"list": [1, {"in": [2.5, {"深": None}]}, {}], "empty": [], "yes": True},
    "flags": [True, False, None],
    "nothing": None,
}


async def test_insert_many_keeps_every_value_as_written(store: DocumentStore) -> None:
    """What ``insert_many`` stores reads back equal (the embedded store keeps each
    document's text exactly as ``filters.dumps`` writes it, though it passes the call's
    documents to SQLite as one JSON array)."""
    c = store.collection("awkward")
    docs = [{"_id": f"w{i}", **_AWKWARD, "i": i} for i in range(3)]
    docs.append({"_id": 'quote"d\\id 标识', **_AWKWARD})
    assert await c.insert_many(docs) == []
    for doc in docs:
        assert await c.get(doc["_id"]) == {**doc, "_rev": 1}
    assert await c.count({"title": _AWKWARD["title"]}) == 4
    assert await c.count({"nested.yes": True, "score": 0.760493814945221}) == 4
    if isinstance(store, SqliteStore):
        table = store.collection("awkward")._table
        rows = await store.db.run(
            lambda conn: conn.execute(f"SELECT id, rev, doc FROM {table}").fetchall()
        )
        texts = {doc["_id"]: filters.dumps({**doc, "_rev": 1}) for doc in docs}
        assert sorted(rows) == sorted((i, 1, t) for i, t in texts.items())


async def test_insert_many_clashes_of_every_kind_in_one_call(store: DocumentStore) -> None:
    """Ids already stored, ids given twice, keys a unique index holds already and keys
    given twice: each document after the first with its id or key is left out and
    reported, the others are written."""
    c = store.collection("mixed")
    await c.ensure_indexes([Index((("code", 1),), unique=True), Index((("group", 1),))])
    await c.insert_many([{"_id": "old", "code": "c-old", "group": 0}])
    docs = [
        {"_id": "a", "code": "c-a", "group": 1},
        {"_id": "old", "code": "c-new", "group": 1},  # id stored already
        {"_id": "b", "code": "c-old", "group": 1},  # key stored already
        {"_id": "c", "code": "c-c", "group": 1},
        {"_id": "a", "code": "c-a2", "group": 1},  # id given twice
        {"_id": "d", "code": "c-c", "group": 1},  # key given twice
        {"_id": "e", "code": "c-e", "group": 1},
    ]
    assert sorted(await c.insert_many(docs)) == ["a", "b", "d", "old"]
    stored = {d["_id"]: d["code"] for d in await c.find({})}
    assert stored == {"old": "c-old", "a": "c-a", "c": "c-c", "e": "c-e"}
    assert await c.count({"group": 1}) == 3
    # a call of nothing but clashes writes nothing
    assert sorted(await c.insert_many([docs[0], {"_id": "f", "code": "c-e"}])) == ["a", "f"]
    assert await c.insert_many([]) == []
    assert await c.count() == 4


async def test_insert_many_of_twenty_thousand(store: DocumentStore) -> None:
    """One call of more documents than one statement may have parameters (SQLite looks
    for the stored ids 10,000 at a time), with stored ids in several of those parts."""
    c = store.collection("large")
    await c.insert_many([{"_id": f"x{i:05}", "old": True} for i in (7, 12_345, 19_999)])
    docs = [{"_id": f"x{i:05}", "n": i, "text": "文" * (i % 7)} for i in range(20_000)]
    assert await c.insert_many(docs) == ["x00007", "x12345", "x19999"]
    assert await c.count() == 20_000
    assert await c.count({"old": True}) == 3
    assert await c.get("x15000") == {**docs[15_000], "_rev": 1}


async def test_sqlite_insert_many_is_one_statement(tmp_path: Path) -> None:
    """The documents of a call go to SQLite in one INSERT, whose work runs in one
    ``sqlite3_step`` without the GIL (``executemany`` takes the GIL back after every
    row), unique-index clashes included."""
    store = SqliteStore(tmp_path / "one.sqlite")
    c = store.collection("rows")
    await c.ensure_indexes([Index((("code", 1),), unique=True), Index((("_pending", 1),))])
    await c.insert({"_id": "r00001", "code": "k1"})
    traced: list[str] = []
    await store.db.run(lambda conn: conn.set_trace_callback(traced.append))
    docs = [{"_id": f"r{i:05}", "code": f"k{i}", "_pending": i % 2 == 0} for i in range(3000)]
    docs.append({"_id": "late", "code": "k2"})  # a key given twice: the first wins
    assert await c.insert_many(docs) == ["r00001", "late"]
    await store.db.run(lambda conn: conn.set_trace_callback(None))
    inserts = [sql for sql in traced if sql.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1, [sql[:80] for sql in traced]
    assert "json_each" in inserts[0]
    assert await c.count() == 3000
    assert (await c.get("r00002") or {})["_pending"] is True
    await store.close()


async def test_sqlite_update_many_appends_in_sql(tmp_path: Path) -> None:
    """An outbox's save (set fields, count and append its events, guarded by the revision)
    runs as one UPDATE per document: the document never comes to Python."""
    store = SqliteStore(tmp_path / "push.sqlite")
    c = store.collection("boxes")
    await c.insert_many([{"_id": "a", "box": [{"k": 1}]}, {"_id": "b"}])
    traced: list[str] = []
    await store.db.run(lambda conn: conn.set_trace_callback(traced.append))
    edits = [
        Edit(
            doc_id,
            Update(set={"v": ["x", 2]}, inc={"n": 2}, push={"box": [{"k": 2}, "文字", None]}),
            where={"_rev": 1},
        )
        for doc_id in ("a", "b", "c")
    ]
    assert await c.update_many(edits) == 2
    await store.db.run(lambda conn: conn.set_trace_callback(None))
    assert not [sql for sql in traced if sql.lstrip().upper().startswith("SELECT")], traced
    a, b = await c.get("a"), await c.get("b")
    assert a is not None and b is not None
    assert a["box"] == [{"k": 1}, {"k": 2}, "文字", None] and b["box"] == [{"k": 2}, "文字", None]
    assert (a["v"], a["n"], a["_rev"], b["n"]) == (["x", 2], 2, 2, 2)
    assert await c.update_many(edits[:1]) == 0  # the revision moved on
    await store.close()


async def test_sqlite_update_many_is_one_statement_per_shape(tmp_path: Path) -> None:
    """Edits of distinct documents: one UPDATE per shape (rescores, withdrawals), guards
    checked per document; a unique clash in a statement is found one by one."""
    store = SqliteStore(tmp_path / "shapes.sqlite")
    c = store.collection("props")
    await c.ensure_indexes([Index((("code", 1),), unique=True)])
    await c.insert_many(
        [{"_id": f"p{i}", "status": "OPEN", "score": 0.0, "code": f"c{i}"} for i in range(300)]
    )
    rescores = [
        Edit(f"p{i}", Update(set={"score": i / 7, "signals": {"a": i}}), where={"status": "OPEN"})
        for i in range(0, 200)
    ]
    closes = [
        Edit(f"p{i}", Update(set={"status": "SHUT"}), where={"_rev": 1 if i % 2 else 5})
        for i in range(200, 300)
    ]
    traced: list[str] = []
    await store.db.run(lambda conn: conn.set_trace_callback(traced.append))
    assert await c.update_many([*rescores, *closes]) == 200 + 50
    await store.db.run(lambda conn: conn.set_trace_callback(None))
    updates = [sql for sql in traced if sql.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2 and all("json_each" in sql for sql in updates), updates
    docs = {d["_id"]: d for d in await c.find({})}
    assert docs["p7"]["score"] == 1.0 and docs["p7"]["signals"] == {"a": 7}
    assert docs["p7"]["_rev"] == 2
    assert [docs[f"p{i}"]["status"] for i in (200, 201)] == ["OPEN", "SHUT"]
    clash = [Edit("p0", Update(set={"code": "c1"})), Edit("p2", Update(set={"code": "x"}))]
    with pytest.raises(AlreadyExists):
        await c.update_many(clash)
    assert (await c.get("p2") or {})["code"] == "c2"  # the call left nothing
    await store.close()


async def test_sqlite_insert_many_writes_no_later_copy_of_an_id(tmp_path: Path) -> None:
    """A second document with an id is a clash even when a unique index turned the first
    one away (the embedded store decides by the order given; MongoDB writes the second)."""
    store = SqliteStore(tmp_path / "copies.sqlite")
    c = store.collection("coded")
    await c.ensure_indexes([Index((("code", 1),), unique=True)])
    await c.insert({"_id": "k0", "code": "taken"})
    docs = [{"_id": "z", "code": "taken"}, {"_id": "y", "code": "y"}, {"_id": "z", "code": "z"}]
    assert await c.insert_many(docs) == ["z", "z"]
    assert sorted(d["_id"] for d in await c.find({})) == ["k0", "y"]
    await store.close()


async def test_sqlite_insert_many_of_what_json_cannot_carry(tmp_path: Path) -> None:
    """Ids that are not strings are stored under ``str(_id)`` as before, and documents
    with NaN or an infinity (not JSON to SQLite) are still written, row by row."""
    store = SqliteStore(tmp_path / "odd.sqlite")
    c = store.collection("odd")
    assert await c.insert_many([{"_id": 5, "v": 1}, {"_id": "6", "v": 2}]) == []
    assert await c.get("5") == {"_id": 5, "v": 1, "_rev": 1}
    assert await c.insert_many([{"_id": "5"}, {"_id": 6}, {"_id": 7}]) == ["5", "6"]
    assert await c.insert_many([{"_id": True, "v": 3}, {"_id": 2**70}]) == []
    assert (await c.get("True") or {})["v"] == 3
    assert await c.get(str(2**70)) == {"_id": 2**70, "_rev": 1}
    mixed: list[dict[str, Any]] = [{"_id": "n1", "x": math.nan}, {"_id": "n2", "x": math.inf}]
    mixed.append({"_id": "5"})
    assert await c.insert_many(mixed) == ["5"]
    n1 = await c.get("n1")
    assert n1 is not None and math.isnan(n1["x"])
    assert (await c.get("n2") or {})["x"] == math.inf
    raw = await store.db.run(
        lambda conn: conn.execute(f"SELECT doc FROM {c._table} WHERE id = 'n1'").fetchone()
    )
    assert raw[0] == filters.dumps({**mixed[0], "_rev": 1})
    await store.close()


@pytest.mark.parametrize("indexed", [False, True])
async def test_filters_have_the_same_meaning_on_both_adapters(
    store: DocumentStore, indexed: bool
) -> None:
    """The same answers whether the fields are indexed or not (SQLite compares an
    indexed field's value directly, so that its index serves the query, and looks
    into every element of other fields, which may hold lists)."""
    people = store.collection("people")
    if indexed:
        await people.ensure_indexes(
            [
                Index((("profile.district", 1), ("name", 1))),
                Index((("score", -1),)),
                Index((("joined", 1), ("profile.active", 1), ("nickname", 1))),
                Index((("tags", 1), ("_id", 1)), over_list=True),
            ]
        )
    await _seed(store)

    async def ids(flt: dict[str, object]) -> list[str]:
        return sorted(d["_id"] for d in await people.find(flt))

    assert await ids({"profile.district": "yuzhong"}) == ["p0", "p2"]
    assert await ids({"tags": "ai"}) == ["p0", "p1"]  # element of a list
    assert await ids({"tags": {"$in": ["robots", "materials"]}}) == ["p0", "p3"]
    assert await ids({"tags": {"$nin": ["ai"]}}) == ["p2", "p3"]
    assert await ids({"tags": {"$ne": "ai"}}) == ["p2", "p3"]
    assert await ids({"score": {"$gte": 5}}) == ["p0", "p2"]
    assert await ids({"score": {"$gt": 3, "$lt": 8}}) == ["p0"]
    assert await ids({"score": None}) == ["p3"]
    assert await ids({"profile.active": True}) == ["p0", "p2"]
    assert await ids({"joined": {"$lt": "2026-03-01T00:00:00Z"}}) == ["p0", "p1"]
    assert await ids({"nickname": {"$exists": False}}) == ["p0", "p1", "p2", "p3"]
    assert await ids({"score": {"$exists": True}, "name": {"$ne": "Ada"}}) == ["p1", "p2", "p3"]
    assert await ids({"$or": [{"name": "Bo"}, {"tags": "materials"}]}) == ["p1", "p3"]
    assert await ids({"$and": [{"tags": "ai"}, {"profile.district": "jiangbei"}]}) == ["p1"]
    assert await people.count({"profile.district": {"$in": ["yuzhong", "liangjiang"]}}) == 3
    assert await ids({"score": {"$in": [3, None]}}) == ["p1", "p3"]
    assert await ids({"score": {"$nin": [3, 8]}}) == ["p0", "p3"]
    assert await ids({"score": {"$nin": [3, None]}}) == ["p0", "p2"]
    assert await ids({"score": {"$ne": 5}}) == ["p1", "p2", "p3"]
    assert await ids({"score": {"$ne": None}}) == ["p0", "p1", "p2"]
    assert await ids({"nickname": {"$ne": "x"}, "score": {"$lte": 3}}) == ["p1"]
    assert await ids({"nickname": {"$in": [None]}}) == ["p0", "p1", "p2", "p3"]
    assert await ids({"_id": {"$gt": "p1"}, "profile.active": False}) == ["p3"]
    assert await ids({"_id": {"$in": ["p2", "p9"]}, "tags": {"$nin": ["x"]}}) == ["p2"]
    by_score = await people.find({"score": {"$gte": 0}}, sort=[("score", -1)])
    assert [d["_id"] for d in by_score] == ["p2", "p0", "p1"]
    by_id = await people.find({}, sort=[("_id", -1)], limit=2)
    assert [d["_id"] for d in by_id] == ["p3", "p2"]


async def test_sort_skip_limit(store: DocumentStore) -> None:
    await _seed(store)
    people = store.collection("people")
    names = [d["name"] for d in await people.find(sort=[("joined", -1)])]
    assert names == ["Dai", "Chen", "Bo", "Ada"]
    page = await people.find({}, sort=[("name", 1)], skip=1, limit=2)
    assert [d["name"] for d in page] == ["Bo", "Chen"]
    assert await people.find({}, limit=0) == []


async def test_unsupported_filters_fail_the_same_way(store: DocumentStore) -> None:
    people = store.collection("people")
    for bad in ({"name": {"$regex": "A"}}, {"$where": "1"}, {"tags": ["a", "b"]}):
        with pytest.raises(UnsupportedFilter):
            await people.find(bad)


async def test_replace_is_optimistic(store: DocumentStore) -> None:
    c = store.collection("docs")
    await c.insert({"_id": "d", "v": 1})
    assert await c.replace({"_id": "d", "v": 2}, expected_rev=1)
    assert not await c.replace({"_id": "d", "v": 3}, expected_rev=1)
    assert await c.get("d") == {"_id": "d", "v": 2, "_rev": 2}


async def test_structured_update(store: DocumentStore) -> None:
    c = store.collection("agg")
    await c.insert({"_id": "x", "n": 1, "box": [], "meta": {"a": 1}})
    change = Update(
        set={"meta.b": "二", "flag": True},
        inc={"n": 2},
        push={"box": [{"id": "e1", "v": 1}, {"id": "e2", "v": 2}, {"id": "e3", "v": 3}]},
    )
    assert await c.update("x", change, where={"_rev": 1})
    assert not await c.update("x", Update(set={"n": 0}), where={"_rev": 1})
    assert await c.update(
        "x", Update(pull={"box": [{"id": "e1", "v": 1}, {"id": "e3", "v": 3}]}, bump_rev=False)
    )
    doc = await c.get("x")
    assert doc == {
        "_id": "x",
        "_rev": 2,
        "n": 3,
        "flag": True,
        "meta": {"a": 1, "b": "二"},
        "box": [{"id": "e2", "v": 2}],
    }
    assert not await c.update("nope", Update(set={"n": 1}))


async def test_update_many_applies_each_edit_on_its_own(store: DocumentStore) -> None:
    """Each edit as ``update`` would apply it: its ``where`` guards it alone, a missing
    document skips it alone, and the count says how many applied; a unique-index clash
    raises as ``update`` does."""
    c = store.collection("many")
    await c.ensure_indexes([Index((("code", 1),), unique=True)])
    for i in range(4):
        await c.insert({"_id": f"m{i}", "code": f"c{i}", "n": i, "box": []})
    changed = await c.update_many(
        [
            Edit("m0", Update(set={"n": 10}, push={"box": ["a"]})),
            Edit("m1", Update(set={"n": 11}), where={"n": 99}),  # guard fails
            Edit("gone", Update(set={"n": 1})),
            Edit("m3", Update(inc={"n": 5}), where={"_rev": 1}),
        ]
    )
    assert changed == 2
    docs = {d["_id"]: d for d in await c.get_many(["m0", "m1", "m2", "m3"])}
    assert (docs["m0"]["n"], docs["m0"]["box"], docs["m0"]["_rev"]) == (10, ["a"], 2)
    assert (docs["m1"]["n"], docs["m1"]["_rev"]) == (1, 1)
    assert (docs["m3"]["n"], docs["m3"]["_rev"]) == (8, 2)
    assert await c.update_many([]) == 0
    with pytest.raises(AlreadyExists):
        await c.update_many([Edit("m2", Update(set={"code": "c3"}))])
    assert (await c.get("m2") or {})["code"] == "c2"


async def test_update_many_of_hundreds(store: DocumentStore) -> None:
    """250 edits in one call (FerretDB 1.24 hangs on one command of 100 updates or more,
    so the MongoDB adapter sends them 50 at a time)."""
    c = store.collection("hundreds")
    assert not await c.insert_many([{"_id": f"h{i:03}", "n": i} for i in range(250)])
    edits = [Edit(f"h{i:03}", Update(inc={"n": 1000})) for i in range(250)]
    assert await c.update_many(edits) == 250
    assert sorted(d["n"] for d in await c.find({})) == list(range(1000, 1250))


def random_edits(r: random.Random, ids: list[str]) -> list[Edit]:
    """Random edits (sets of every kind of value, additions, appends, guards that hold or
    not, dotted paths, lists) of these documents, in this order."""
    values = [0, 7, -1.5, "文字", "", None, True, False, [1, "a"], {"k": [2, {"z": None}]}]
    values_in_lists = [v for v in values if not isinstance(v, list)]  # FerretDB 1.x: no [[…]]
    edits = []
    for doc_id in ids:
        field = r.choice(["a", "b", "n", "s", "x.y", "flag"])
        change = (
            Update(set={field: r.choice(values), "t": r.choice(values)})
            if r.random() < 0.6
            else Update(inc={r.choice(["n", "m", "x.c"]): r.choice([1, 5, -2])})
        )
        if r.random() < 0.2:
            change = Update(set=change.set, inc=change.inc, bump_rev=False)
        if r.random() < 0.3:  # one item or several, to a list that is there or not
            items = [r.choice(values_in_lists) for _ in range(r.randint(1, 3))]
            change = Update(set=change.set, push={r.choice(["box", "bag"]): items})
        where = r.choice(
            [None, {"s": "open"}, {"s": "shut"}, {"n": 3}, {"gone": None}, {"flag": True}]
        )
        edits.append(Edit(doc_id, change, where))
    return edits


@pytest.mark.parametrize("distinct", [False, True])
async def test_update_many_does_what_update_does(store: DocumentStore, distinct: bool) -> None:
    """Random edits applied by ``update_many`` and one by one by ``update`` leave the same
    documents and count the same changes. SQLite applies the simple ones in SQL: one
    statement per shape when every edit is of another document (``distinct``), one per
    edit in order when a document is edited twice; the others in Python."""
    r = random.Random(3 if not distinct else 4)
    many, one = store.collection("bulk"), store.collection("single")
    for c in (many, one):
        for i in range(12):
            await c.insert({"_id": f"d{i}", "n": i, "s": "open" if i % 3 else "shut", "x": {}})
    for _ in range(10):
        if distinct:
            ids = [f"d{i}" for i in r.sample(range(13), 9)]  # d12 does not exist
        else:
            ids = [f"d{r.randrange(13)}" for _ in range(7)]
        part = random_edits(r, ids)
        singly = sum([await one.update(e.doc_id, e.change, where=e.where) for e in part])
        assert await many.update_many(part) == singly
    got = {d["_id"]: d for d in await many.find({})}
    want = {d["_id"]: d for d in await one.find({})}
    assert got == want
    assert any(d["_rev"] > 3 for d in got.values())


async def test_concurrent_optimistic_updates_lose_nothing(store: DocumentStore) -> None:
    c = store.collection("counter")
    await c.insert({"_id": "c", "n": 0})

    async def bump() -> None:
        while True:
            doc = await c.get("c")
            assert doc is not None
            if await c.update("c", Update(set={"n": doc["n"] + 1}), where={"_rev": doc["_rev"]}):
                return

    await asyncio.gather(*(bump() for _ in range(20)))
    assert (await c.get("c") or {})["n"] == 20


async def test_delete_and_get_many(store: DocumentStore) -> None:
    c = store.collection("del")
    for i in range(3):
        await c.insert({"_id": f"k{i}"})
    assert not await c.delete("k0", expected_rev=7)
    assert await c.delete("k0", expected_rev=1)
    assert not await c.delete("k0")
    assert sorted(d["_id"] for d in await c.get_many(["k1", "k2", "k9", "k1"])) == ["k1", "k2"]


async def test_delete_many(store: DocumentStore) -> None:
    c = store.collection("delmany")
    assert await c.insert_many([{"_id": f"k{i}"} for i in range(5)]) == []
    assert await c.delete_many(["k1", "k3", "k9", "k1"]) == 2
    assert sorted(d["_id"] for d in await c.find()) == ["k0", "k2", "k4"]
    assert await c.delete_many([]) == 0
    assert await c.delete_many(["k1"]) == 0


async def test_sqlite_answers_on_indexed_fields_from_their_index(tmp_path: Path) -> None:
    """The embedded store's plan for a filter and a sort on indexed fields uses the
    index (a scan of every document's JSON otherwise)."""
    store = SqliteStore(tmp_path / "plans.sqlite")
    c = store.collection("rows")
    await c.ensure_indexes([Index((("_pending", 1),)), Index((("kind", 1), ("at", -1)))])
    await c.insert_many([{"_id": f"r{i}", "_pending": i % 2 == 0, "kind": "k"} for i in range(50)])

    async def plan(flt: dict[str, object], sort: list[tuple[str, int]]) -> str:
        sql, params = c._select("doc", flt, sort, None, 0)
        rows = await store.db.run(
            lambda conn: conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        )
        return " | ".join(str(r[-1]) for r in rows)

    assert "USING INDEX" in await plan({"_pending": True}, [])
    shown = await plan({"kind": "k", "at": {"$gt": "2026"}}, [("at", -1)])
    assert "USING INDEX" in shown and "TEMP B-TREE" not in shown, shown
    assert "SCAN" in await plan({"other": 1}, [])  # not indexed: every row
    assert len(await c.find({"_pending": True})) == 25
    await store.close()
