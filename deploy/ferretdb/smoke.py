"""Smoke test of the local FerretDB with PyMongo's async API.

Usage (the server must be started by deploy/ferretdb/ferretdb.sh start):

    python deploy/ferretdb/smoke.py [--bench] [--no-restart]

Needs pymongo (tested with 4.20.0). Every check prints PASS/FAIL (or INFO for
features that are not expected to work on FerretDB 1.x); the exit status is 1
if any check that is expected to work failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError
from pymongo.operations import DeleteOne, InsertOne, ReplaceOne, UpdateOne

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "ferretdb.sh"
PORT = os.environ.get("BOYIN_MONGO_PORT", "37017")
URI = os.environ.get("BOYIN_MONGO_URI", f"mongodb://127.0.0.1:{PORT}/?directConnection=true")
DB = "boyin_smoke"

results: list[tuple[str, bool, bool, str]] = []  # name, expected, ok, detail


def check(name: str, expected: bool = True):
    def deco(fn):
        fn._check = (name, expected)
        return fn

    return deco


def short(e: BaseException) -> str:
    details = getattr(e, "details", None)
    code = getattr(e, "code", None)
    text = f"{type(e).__name__}: {e}"
    if code is not None and f"{code}" not in text:
        text += f" (code {code})"
    if details and isinstance(details, dict) and "writeErrors" in details:
        text += f" writeErrors={details['writeErrors'][:2]}"
    return text[:500]


# ---------------------------------------------------------------- checks


@check("ping + buildInfo")
async def c_ping(db):
    r = await db.client.admin.command("ping")
    assert r["ok"] == 1, r
    info = await db.client.admin.command("buildInfo")
    return f"reports MongoDB {info.get('version')}, maxWireVersion {(await db.client.admin.command('hello'))['maxWireVersion']}"


@check("insert_one / find / find_one")
async def c_insert_find(db):
    c = db.people
    oid = (
        await c.insert_one({"name": "ann", "age": 30, "at": datetime(2024, 1, 2, tzinfo=UTC)})
    ).inserted_id
    assert isinstance(oid, ObjectId)
    await c.insert_many([{"name": "bob", "age": 25}, {"name": "cid", "age": 35}])
    doc = await c.find_one({"_id": oid})
    assert doc["name"] == "ann" and doc["at"].replace(tzinfo=UTC) == datetime(
        2024, 1, 2, tzinfo=UTC
    ), doc
    names = sorted([d["name"] async for d in c.find({"age": {"$gte": 30}}, {"name": 1, "_id": 0})])
    assert names == ["ann", "cid"], names
    lst = await c.find({}).to_list()
    assert len(lst) == 3
    await c.insert_one({"_id": "custom-id", "v": 1})
    assert (await c.find_one("custom-id"))["v"] == 1


@check("update_one with version filter + $set/$inc/$push/$pull")
async def c_update_ops(db):
    c = db.orders
    await c.insert_one(
        {"_id": "o1", "version": 1, "status": "new", "qty": 1, "tags": ["a", "b", "c"]}
    )
    r = await c.update_one(
        {"_id": "o1", "version": 1},
        {"$set": {"status": "paid"}, "$inc": {"version": 1, "qty": 2}, "$push": {"tags": "d"}},
    )
    assert (r.matched_count, r.modified_count) == (1, 1), r.raw_result
    r = await c.update_one(
        {"_id": "o1", "version": 2}, {"$pull": {"tags": "b"}, "$inc": {"version": 1}}
    )
    assert r.modified_count == 1, r.raw_result
    stale = await c.update_one(
        {"_id": "o1", "version": 1}, {"$set": {"status": "lost"}, "$inc": {"version": 1}}
    )
    assert stale.matched_count == 0, stale.raw_result
    doc = await c.find_one({"_id": "o1"})
    assert doc == {
        "_id": "o1",
        "version": 3,
        "status": "paid",
        "qty": 3,
        "tags": ["a", "c", "d"],
    }, doc
    # $push $each, $pullAll, $addToSet, $unset, $pop
    await c.update_one(
        {"_id": "o1"}, {"$push": {"tags": {"$each": ["x", "y"]}}, "$unset": {"status": ""}}
    )
    await c.update_one({"_id": "o1"}, {"$pullAll": {"tags": ["x", "y"]}})
    await c.update_one({"_id": "o1"}, {"$addToSet": {"tags": {"$each": ["a", "e"]}}})
    await c.update_one({"_id": "o1"}, {"$pop": {"tags": 1}})
    doc = await c.find_one({"_id": "o1"})
    assert doc["tags"] == ["a", "c", "d"] and "status" not in doc, doc


@check("$pull with a condition ({$in: ...}, {$gt: ...}, partial subdocument)", expected=False)
async def c_pull_cond(db):
    c = db.pullc
    await c.insert_one(
        {
            "_id": 1,
            "t": ["a", "x", "y"],
            "n": [1, 5, 9],
            "it": [{"s": "A", "q": 1}, {"s": "B", "q": 2}],
        }
    )
    await c.update_one({"_id": 1}, {"$pull": {"t": {"$in": ["x", "y"]}}})
    await c.update_one({"_id": 1}, {"$pull": {"n": {"$gt": 4}}})
    await c.update_one({"_id": 1}, {"$pull": {"it": {"s": "A"}}})
    d = await c.find_one({"_id": 1})
    assert d == {"_id": 1, "t": ["a"], "n": [1], "it": [{"s": "B", "q": 2}]}, (
        f"silently unchanged: {d}"
    )


@check("$push modifiers $sort/$slice/$position", expected=False)
async def c_push_mod(db):
    c = db.pushm
    await c.insert_one({"_id": 1, "n": [5, 1, 3]})
    await c.update_one({"_id": 1}, {"$push": {"n": {"$each": [9], "$sort": 1, "$slice": 3}}})
    d = await c.find_one({"_id": 1})
    assert d["n"] == [1, 3, 5], f"modifiers silently ignored: {d}"


@check("update_one upsert + $setOnInsert, update_many, replace_one")
async def c_upsert(db):
    c = db.orders
    r = await c.update_one(
        {"_id": "o2"}, {"$set": {"s": 1}, "$setOnInsert": {"created": 1}}, upsert=True
    )
    assert r.upserted_id == "o2", r.raw_result
    await c.insert_many([{"_id": f"m{i}", "grp": "m", "n": i} for i in range(5)])
    r = await c.update_many({"grp": "m"}, {"$inc": {"n": 10}})
    assert r.modified_count == 5, r.raw_result
    r = await c.replace_one({"_id": "m0"}, {"grp": "m", "n": -1})
    assert r.modified_count == 1
    assert (await c.find_one({"_id": "m0"}))["n"] == -1


@check("find_one_and_update return_document=AFTER")
async def c_fam(db):
    c = db.counters
    await c.insert_one({"_id": "seq", "n": 0, "version": 0})
    doc = await c.find_one_and_update(
        {"_id": "seq", "version": 0},
        {"$inc": {"n": 1, "version": 1}},
        return_document=ReturnDocument.AFTER,
    )
    assert doc == {"_id": "seq", "n": 1, "version": 1}, doc
    none = await c.find_one_and_update({"_id": "seq", "version": 0}, {"$inc": {"n": 1}})
    assert none is None
    up = await c.find_one_and_update(
        {"_id": "new"}, {"$inc": {"n": 5}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    assert up == {"_id": "new", "n": 5}, up


@check("unique index + duplicate key error 11000")
async def c_unique(db):
    c = db.users
    name = await c.create_index([("email", ASCENDING)], unique=True)
    await c.insert_one({"email": "a@x"})
    try:
        await c.insert_one({"email": "a@x"})
    except DuplicateKeyError as e:
        assert e.code == 11000, e.code
    else:
        raise AssertionError("no DuplicateKeyError on insert")
    await c.insert_one({"email": "b@x"})
    try:
        await c.update_one({"email": "b@x"}, {"$set": {"email": "a@x"}})
    except DuplicateKeyError as e:
        assert e.code == 11000
    else:
        raise AssertionError("no DuplicateKeyError on update")
    try:
        await c.insert_many([{"email": "c@x"}, {"email": "a@x"}, {"email": "d@x"}], ordered=True)
    except BulkWriteError as e:
        codes = [w["code"] for w in e.details["writeErrors"]]
        assert codes == [11000], codes
        assert e.details["nInserted"] == 1, e.details
    else:
        raise AssertionError("no BulkWriteError")
    idx = await c.index_information()
    assert idx[name].get("unique") is True, idx
    return f"index {name}"


@check("compound index")
async def c_compound(db):
    c = db.events
    name = await c.create_index([("tenant", ASCENDING), ("ts", DESCENDING)], name="tenant_ts")
    await c.create_index([("a", 1), ("b", 1)], unique=True)
    await c.insert_one({"a": 1, "b": 1})
    await c.insert_one({"a": 1, "b": 2})
    try:
        await c.insert_one({"a": 1, "b": 1})
        raise AssertionError("compound unique not enforced")
    except DuplicateKeyError:
        pass
    idx = await c.index_information()
    assert idx[name]["key"] == [("tenant", 1), ("ts", -1)], idx
    names = [i["name"] async for i in await c.list_indexes()]
    assert "tenant_ts" in names and "a_1_b_1" in names, names
    await c.drop_index("tenant_ts")
    assert "tenant_ts" not in await c.index_information()


@check("sort / skip / limit")
async def c_sort(db):
    c = db.nums
    await c.insert_many([{"i": i, "g": i % 3} for i in range(50)])
    got = [d["i"] async for d in c.find({}).sort("i", DESCENDING).skip(5).limit(3)]
    assert got == [44, 43, 42], got
    got = [
        (d["g"], d["i"])
        async for d in c.find({"i": {"$lt": 9}}).sort([("g", 1), ("i", -1)]).limit(4)
    ]
    assert got == [(0, 6), (0, 3), (0, 0), (1, 7)], got


@check("count_documents / estimated_document_count / distinct")
async def c_count(db):
    c = db.nums
    assert await c.count_documents({}) == 50
    assert await c.count_documents({"g": 1}) == 17
    assert await c.count_documents({"g": 1}, skip=2, limit=5) == 5
    assert await c.estimated_document_count() == 50
    assert sorted(await c.distinct("g")) == [0, 1, 2]


SHOP = [
    {
        "_id": 1,
        "addr": {"city": "Oslo", "geo": {"zip": "0150"}},
        "tags": ["x", "y"],
        "nums": [1, 5, 9],
        "items": [{"sku": "A", "q": 1}, {"sku": "B", "q": 5}],
    },
    {
        "_id": 2,
        "addr": {"city": "Bergen", "geo": {"zip": "5003"}},
        "tags": ["y"],
        "nums": [20],
        "items": [{"sku": "A", "q": 7}],
    },
    {"_id": 3, "addr": {"city": "Oslo"}, "tags": [], "nums": [], "items": []},
]


async def shop(db):
    c = db.shop
    if await c.count_documents({}) == 0:
        await c.insert_many([dict(d) for d in SHOP])

    async def ids(f):
        return sorted([d["_id"] async for d in c.find(f)])

    return c, ids


@check("$in / $nin / $all / $size / $or / $exists / $regex")
async def c_q_ops(db):
    _c, ids = await shop(db)
    assert await ids({"_id": {"$in": [1, 3, 9]}}) == [1, 3]
    assert await ids({"tags": {"$in": ["x"]}}) == [1]
    assert await ids({"tags": "y"}) == [1, 2]
    assert await ids({"tags": {"$nin": ["x"]}}) == [2, 3]
    assert await ids({"tags": {"$all": ["x", "y"]}}) == [1]
    assert await ids({"tags": {"$size": 0}}) == [3]
    assert await ids({"$or": [{"addr.city": "Bergen"}, {"tags": {"$size": 0}}]}) == [2, 3]
    assert await ids({"addr.geo": {"$exists": False}}) == [3]
    assert await ids({"addr.city": {"$regex": "^os", "$options": "i"}}) == [1, 3]


@check("dotted paths: nested documents, arrays of subdocuments, array index")
async def c_q_dotted(db):
    c, ids = await shop(db)
    assert await ids({"addr.city": "Oslo"}) == [1, 3]
    assert await ids({"addr.geo.zip": "5003"}) == [2]
    assert await ids({"items.sku": "B"}) == [1]
    assert await ids({"items.q": {"$gt": 6}}) == [2]
    assert await ids({"items.0.sku": "A"}) == [1, 2]
    assert await ids({"tags.1": "y"}) == [1]
    await c.update_one({"_id": 1}, {"$set": {"addr.geo.zip": "0151", "items.1.q": 6}})
    d = await c.find_one({"_id": 1}, {"addr.geo.zip": 1, "items.q": 1})
    assert d == {"_id": 1, "addr": {"geo": {"zip": "0151"}}, "items": [{"q": 1}, {"q": 6}]}, d
    got = [d["_id"] async for d in c.find({}).sort("addr.geo.zip", -1)]
    assert got == [2, 1, 3], got


@check("$elemMatch with operators on an array of scalars")
async def c_q_elem_scalar(db):
    _c, ids = await shop(db)
    assert await ids({"nums": {"$elemMatch": {"$gt": 4, "$lt": 6}}}) == [1]
    assert await ids({"nums": {"$elemMatch": {"$gte": 20}}}) == [2]


@check("$elemMatch on an array of subdocuments", expected=False)
async def c_q_elem_docs(db):
    _c, ids = await shop(db)
    got = await ids({"items": {"$elemMatch": {"sku": "A"}}})
    assert got == [1, 2], f"silently wrong result {got}"
    assert await ids({"items": {"$elemMatch": {"sku": "A", "q": {"$gt": 5}}}}) == [2]


@check("$nin / $not on a dotted path into an array of subdocuments", expected=False)
async def c_q_nin_path(db):
    _c, ids = await shop(db)
    got = await ids({"items.q": {"$nin": [1, 7]}})
    assert got == [3], f"silently wrong result {got}"


@check("aggregate $match $group (one $sum or $count) $sort $limit, $unwind, $count")
async def c_agg(db):
    c = db.nums
    exp = {}
    for i in range(10, 50):
        exp.setdefault(i % 3, []).append(i)
    top = sorted(exp.items(), key=lambda kv: -sum(kv[1]))[:2]
    pipe = [
        {"$match": {"i": {"$gte": 10}}},
        {"$group": {"_id": "$g", "total": {"$sum": "$i"}}},
        {"$sort": {"total": -1}},
        {"$limit": 2},
    ]
    got = await (await c.aggregate(pipe)).to_list()
    assert got == [{"_id": k, "total": sum(v)} for k, v in top], got
    pipe[1] = {"$group": {"_id": "$g", "n": {"$sum": 1}}}
    pipe[2] = {"$sort": {"_id": 1}}
    got = await (await c.aggregate(pipe)).to_list()
    assert got == [{"_id": k, "n": len(exp[k])} for k in (0, 1)], got
    got = await (
        await c.aggregate([{"$match": {"g": 2}}, {"$group": {"_id": None, "c": {"$count": {}}}}])
    ).to_list()
    assert got == [{"_id": None, "c": 16}], got
    got = await (await c.aggregate([{"$match": {"i": {"$lt": 3}}}, {"$count": "c"}])).to_list()
    assert got == [{"c": 3}], got
    got = await (
        await db.shop.aggregate(
            [
                {"$unwind": "$tags"},
                {"$group": {"_id": "$tags", "c": {"$sum": 1}}},
                {"$sort": {"_id": 1}},
            ]
        )
    ).to_list()
    assert got == [{"_id": "x", "c": 1}, {"_id": "y", "c": 2}], got


@check("$group with two accumulators", expected=False)
async def c_agg_two(db):
    got = await (
        await db.nums.aggregate(
            [{"$match": {"g": 2}}, {"$group": {"_id": None, "n": {"$sum": 1}, "t": {"$sum": "$i"}}}]
        )
    ).to_list()
    assert got == [{"_id": None, "n": 16, "t": sum(range(2, 50, 3))}], (
        f"silently wrong result {got}"
    )


@check("$group accumulators $avg/$min/$max/$push/$first", expected=False)
async def c_agg_acc(db):
    got = await (
        await db.nums.aggregate(
            [{"$group": {"_id": None, "a": {"$avg": "$i"}, "m": {"$max": "$i"}}}]
        )
    ).to_list()
    assert got == [{"_id": None, "a": 24.5, "m": 49}], got


@check("$project with field paths / expressions", expected=False)
async def c_agg_proj(db):
    got = await (
        await db.shop.aggregate([{"$match": {"_id": 2}}, {"$project": {"city": "$addr.city"}}])
    ).to_list()
    assert got == [{"_id": 2, "city": "Bergen"}], f"silently wrong result {got}"


@check("collection.bulk_write with UpdateOne upsert")
async def c_bulk(db):
    c = db.bulk
    await c.insert_one({"_id": "k1", "v": 1})
    r = await c.bulk_write(
        [
            UpdateOne({"_id": "k1"}, {"$inc": {"v": 1}}, upsert=True),
            UpdateOne({"_id": "k2"}, {"$set": {"v": 10}}, upsert=True),
            InsertOne({"_id": "k3", "v": 3}),
            ReplaceOne({"_id": "k3"}, {"v": 33}),
            DeleteOne({"_id": "nope"}),
        ],
        ordered=True,
    )
    assert (r.matched_count, r.modified_count, r.upserted_count, r.inserted_count) == (
        2,
        2,
        1,
        1,
    ), r.bulk_api_result
    assert set(r.upserted_ids.values()) == {"k2"}, r.upserted_ids
    assert {d["_id"]: d["v"] async for d in c.find()} == {"k1": 2, "k2": 10, "k3": 33}
    r = await c.bulk_write(
        [UpdateOne({"_id": f"u{i}"}, {"$set": {"v": i}}, upsert=True) for i in range(100)],
        ordered=False,
    )
    assert r.upserted_count == 100, r.bulk_api_result


@check("BulkWriteResult.upserted_ids keys are the operation indexes", expected=False)
async def c_bulk_idx(db):
    r = await db.bulk2.bulk_write(
        [
            UpdateOne({"_id": "a"}, {"$set": {"v": 1}}, upsert=True),
            UpdateOne({"_id": "b"}, {"$set": {"v": 1}}, upsert=True),
            UpdateOne({"_id": "a"}, {"$set": {"v": 2}}, upsert=True),
            UpdateOne({"_id": "c"}, {"$set": {"v": 1}}, upsert=True),
        ]
    )
    assert r.upserted_ids == {0: "a", 1: "b", 3: "c"}, f"wrong indexes: {r.upserted_ids}"


@check("delete_one / delete_many")
async def c_delete(db):
    c = db.nums
    r = await c.delete_many({"g": 2})
    assert r.deleted_count == 16, r.raw_result
    r = await c.delete_one({"g": 1})
    assert r.deleted_count == 1
    assert await c.count_documents({}) == 33


@check("drop collection / list_collection_names / drop_database")
async def c_drop(db):
    await db.tmp.insert_one({"x": 1})
    assert "tmp" in await db.list_collection_names()
    await db.tmp.drop()
    assert "tmp" not in await db.list_collection_names()
    await db.drop_collection("tmp")  # dropping a missing collection is fine
    other = db.client[DB + "_other"]
    await other.t.insert_one({"x": 1})
    assert DB + "_other" in await db.client.list_database_names()
    await db.client.drop_database(DB + "_other")
    assert DB + "_other" not in await db.client.list_database_names()


@check("20 concurrent update_one $inc on one document")
async def c_conc_inc(db):
    c = db.conc
    await c.insert_one({"_id": "ctr", "n": 0})
    rs = await asyncio.gather(
        *(c.update_one({"_id": "ctr"}, {"$inc": {"n": 1}}) for _ in range(20))
    )
    assert sum(r.modified_count for r in rs) == 20
    doc = await c.find_one({"_id": "ctr"})
    assert doc["n"] == 20, f"lost updates: n={doc['n']}"


@check("20 concurrent optimistic updates (same version): exactly one wins")
async def c_conc_occ(db):
    c = db.conc
    await c.insert_one({"_id": "occ", "version": 0, "owner": None})
    rs = await asyncio.gather(
        *(
            c.update_one(
                {"_id": "occ", "version": 0}, {"$set": {"owner": i}, "$inc": {"version": 1}}
            )
            for i in range(20)
        ),
        return_exceptions=True,
    )
    errs = [r for r in rs if isinstance(r, BaseException)]
    assert not errs, [short(e) for e in errs[:3]]
    wins = sum(r.modified_count for r in rs)
    doc = await c.find_one({"_id": "occ"})
    assert wins == 1 and doc["version"] == 1, f"wins={wins} doc={doc}"


@check("20 concurrent update_one on 20 different documents")
async def c_conc_many(db):
    c = db.conc
    await c.insert_many([{"_id": f"d{i}", "n": 0} for i in range(20)])
    rs = await asyncio.gather(
        *(c.update_one({"_id": f"d{i}"}, {"$inc": {"n": 1}, "$push": {"l": i}}) for i in range(20))
    )
    assert all(r.modified_count == 1 for r in rs)
    assert await c.count_documents({"_id": {"$in": [f"d{i}" for i in range(20)]}, "n": 1}) == 20


# informational: not expected on FerretDB 1.x


@check("multi-document transaction (with_transaction)", expected=False)
async def c_txn(db):
    c = db.txn
    async with db.client.start_session() as s, await s.start_transaction():
        await c.insert_one({"x": 1}, session=s)
    assert await c.count_documents({}) == 1


@check("change stream (watch)", expected=False)
async def c_watch(db):
    async with await db.watch_me.watch(max_await_time_ms=100) as stream:
        await db.watch_me.insert_one({"x": 1})
        ev = await stream.try_next()
        assert ev is not None


@check("$lookup", expected=False)
async def c_lookup(db):
    await db.la.insert_one({"_id": 1, "b": 1})
    await db.lb.insert_one({"_id": 1, "v": "x"})
    got = await (
        await db.la.aggregate(
            [{"$lookup": {"from": "lb", "localField": "b", "foreignField": "_id", "as": "j"}}]
        )
    ).to_list()
    assert got[0]["j"] == [{"_id": 1, "v": "x"}], got


@check("TTL index (expireAfterSeconds)", expected=False)
async def c_ttl(db):
    await db.ttl.create_index("at", expireAfterSeconds=60)


@check("partial unique index", expected=False)
async def c_partial(db):
    await db.part.create_index("k", unique=True, partialFilterExpression={"k": {"$exists": True}})


@check("aggregate $unwind/$project/$addFields/$count", expected=False)
async def c_agg2(db):
    await db.agg2.insert_many([{"t": ["a", "b"], "n": 1}, {"t": ["a"], "n": 2}])
    got = await (
        await db.agg2.aggregate(
            [
                {"$unwind": "$t"},
                {"$addFields": {"m": {"$multiply": ["$n", 2]}}},
                {"$project": {"_id": 0, "t": 1, "m": 1}},
                {"$sort": {"t": 1, "m": 1}},
            ]
        )
    ).to_list()
    assert got == [{"t": "a", "m": 2}, {"t": "a", "m": 4}, {"t": "b", "m": 2}], got
    got = await (await db.agg2.aggregate([{"$count": "c"}])).to_list()
    assert got == [{"c": 2}], got


@check("update with aggregation pipeline / arrayFilters / positional $", expected=False)
async def c_upd_adv(db):
    c = db.updadv
    await c.insert_one({"_id": 1, "items": [{"s": "A", "q": 1}, {"s": "B", "q": 2}]})
    await c.update_one({"_id": 1, "items.s": "B"}, {"$set": {"items.$.q": 20}})
    d = await c.find_one({"_id": 1})
    assert d["items"][1]["q"] == 20, d
    await c.update_one({"_id": 1}, {"$set": {"items.$[e].q": 0}}, array_filters=[{"e.s": "A"}])
    d = await c.find_one({"_id": 1})
    assert d["items"][0]["q"] == 0, d


@check("$expr, find(collation=...), projection $slice", expected=False)
async def c_misc_q(db):
    errs = []
    for label, coro in [
        ("$expr", lambda: db.nums.find_one({"$expr": {"$gt": ["$i", 48]}})),
        ("collation", lambda: db.nums.find_one({}, collation={"locale": "en", "strength": 2})),
        ("$slice", lambda: db.shop.find_one({}, {"tags": {"$slice": 1}})),
    ]:
        try:
            await coro()
        except PyMongoError as e:
            errs.append(f"{label}: {short(e)[:120]}")
    assert not errs, "; ".join(errs)


@check("Decimal128 value", expected=False)
async def c_decimal(db):
    from bson import Decimal128

    await db.dec.insert_one({"_id": 1, "v": Decimal128("1.10")})
    assert (await db.dec.find_one({"_id": 1}))["v"] == Decimal128("1.10")


# ---------------------------------------------------------------- restart


async def c_restart(db, client):
    name = "database restart (ferretdb.sh restart) + reconnect on next operation"
    try:
        await db.survive.insert_one({"_id": "before"})
        t0 = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            "bash",
            str(SCRIPT),
            "restart",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
        assert proc.returncode == 0, out.decode()
        t_restart = time.monotonic() - t0
        # the very next operation, without any retry of our own
        first = []
        for op in ("find_one", "insert_one"):
            try:
                if op == "find_one":
                    doc = await db.survive.find_one({"_id": "before"})
                    assert doc is not None, "data lost over restart"
                else:
                    await db.survive.insert_one({"_id": "after"})
                first.append(f"{op} ok")
            except PyMongoError as e:
                first.append(f"{op} failed: {short(e)}")
        detail = f"restart took {t_restart:.1f}s; " + "; ".join(first)
        ok = all(x.endswith(" ok") for x in first)
        if not ok:  # one retry must succeed
            await db.survive.find_one({})
        results.append((name, True, ok, detail))
        print(("PASS " if ok else "FAIL ") + name + f"  [{detail}]", flush=True)
    except BaseException as e:
        results.append((name, True, False, short(e)))
        print(f"FAIL {name}  [{short(e)}]", flush=True)


# ---------------------------------------------------------------- bench


def server_rss_kib() -> str:
    cache = pathlib.Path(os.environ.get("BOYIN_CACHE", HERE.parent.parent / ".cache")) / "ferretdb"
    try:
        pid = (cache / "ferretdb.pid").read_text().strip()
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS", "VmHWM")):
                yield line.split(":")[0], int(line.split()[1])
    except OSError:
        return


async def bench(db):
    """Sequential and concurrent timings; _id are ObjectIds (FerretDB pushes only
    string/ObjectId _id equality down to SQLite; everything else is a full scan)."""
    c = db.bench
    await c.drop()
    print("bench: server", dict(server_rss_kib()), "KiB", flush=True)
    n = 1000
    ids = []
    t = time.perf_counter()
    for i in range(n):
        ids.append(
            (await c.insert_one({"name": f"user{i}", "n": i, "tags": ["a", "b"]})).inserted_id
        )
    dt = time.perf_counter() - t
    print(f"bench: {n} insert_one sequential: {dt:.2f}s = {n / dt:.0f}/s", flush=True)
    t = time.perf_counter()
    await c.insert_many([{"name": f"user{i}", "n": i, "tags": ["a", "b"]} for i in range(n)])
    dt = time.perf_counter() - t
    print(f"bench: insert_many {n}: {dt:.2f}s = {n / dt:.0f}/s", flush=True)
    t = time.perf_counter()
    for i, oid in enumerate(ids):
        assert (await c.find_one({"_id": oid}))["n"] == i
    dt = time.perf_counter() - t
    print(
        f"bench: {n} find_one by _id sequential ({2 * n} docs): {dt:.2f}s = {n / dt:.0f}/s",
        flush=True,
    )
    t = time.perf_counter()
    for oid in ids:
        await c.update_one({"_id": oid}, {"$inc": {"n": 1}})
    dt = time.perf_counter() - t
    print(f"bench: {n} update_one by _id sequential: {dt:.2f}s = {n / dt:.0f}/s", flush=True)
    sem = asyncio.Semaphore(20)

    async def one(oid):
        async with sem:
            await c.find_one({"_id": oid})

    t = time.perf_counter()
    await asyncio.gather(*(one(oid) for oid in ids))
    dt = time.perf_counter() - t
    print(f"bench: {n} find_one by _id, 20 concurrent: {dt:.2f}s = {n / dt:.0f}/s", flush=True)

    async def upd(oid):
        async with sem:
            await c.update_one({"_id": oid}, {"$inc": {"n": 1}})

    t = time.perf_counter()
    await asyncio.gather(*(upd(oid) for oid in ids))
    dt = time.perf_counter() - t
    print(f"bench: {n} update_one by _id, 20 concurrent: {dt:.2f}s = {n / dt:.0f}/s", flush=True)
    await c.create_index("name")
    t = time.perf_counter()
    for _ in range(20):
        await c.find_one({"name": "no such name"})
    dt = time.perf_counter() - t
    print(
        f"bench: find_one on an indexed non-_id field, no match, {2 * n} docs: {dt / 20 * 1000:.1f} ms each"
        " (secondary indexes are not used: full scan)",
        flush=True,
    )
    print("bench: server", dict(server_rss_kib()), "KiB", flush=True)
    await c.drop()


# ---------------------------------------------------------------- main


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--no-restart", action="store_true")
    ap.add_argument("-k", help="run only checks whose name contains this")
    args = ap.parse_args()

    client = AsyncMongoClient(URI, serverSelectionTimeoutMS=10000)
    db = client[DB]
    await client.drop_database(DB)
    checks = [f for f in globals().values() if callable(f) and hasattr(f, "_check")]
    for fn in checks:
        name, expected = fn._check
        if args.k and args.k not in name:
            continue
        try:
            detail = await fn(db) or ""
            ok = True
        except BaseException as e:
            ok = False
            detail = short(e)
            if isinstance(e, AssertionError) and not str(e):
                detail = "".join(traceback.format_exception(e)[-2:]).strip()[:500]
        results.append((name, expected, ok, detail))
        tag = "PASS" if ok else ("FAIL" if expected else "INFO-FAIL")
        if ok and not expected:
            tag = "INFO-PASS"
        print(f"{tag} {name}" + (f"  [{detail}]" if detail else ""), flush=True)

    if not args.no_restart and not args.k:
        await c_restart(db, client)
    if args.bench:
        await bench(db)
    await client.drop_database(DB)
    await client.close()

    failed = [r for r in results if r[1] and not r[2]]
    passed = sum(1 for r in results if r[2])
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
