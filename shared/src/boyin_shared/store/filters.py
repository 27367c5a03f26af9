"""The filter subset both adapters support, and its translation to SQLite.

Supported: equality ``{"a.b": v}`` (on a list field: any element equals ``v``; ``None``
matches a missing or null field), the operators ``$eq $ne $in $nin $gt $gte $lt $lte
$exists``, and top-level ``$and``/``$or`` of filters. Dotted paths go through nested
objects only; to query inside lists of objects, store a flat list beside them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import pydantic_core

_OPERATORS = {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists"}
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class UnsupportedFilter(ValueError):
    pass


def check(flt: Mapping[str, Any]) -> None:
    """Raise :class:`UnsupportedFilter` for anything outside the subset."""
    for key, value in flt.items():
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise UnsupportedFilter(f"{key} takes a non-empty list of filters")
            for sub in value:
                check(sub)
            continue
        if not _PATH.match(key):
            raise UnsupportedFilter(f"unsupported field path {key!r}")
        if isinstance(value, Mapping) and any(k.startswith("$") for k in value):
            for op, arg in value.items():
                if op not in _OPERATORS:
                    raise UnsupportedFilter(f"unsupported operator {op} on {key}")
                if op in ("$in", "$nin") and not isinstance(arg, list):
                    raise UnsupportedFilter(f"{op} on {key} takes a list")
                if op == "$exists" and not isinstance(arg, bool):
                    raise UnsupportedFilter(f"$exists on {key} takes true or false")
        elif isinstance(value, Mapping | list):
            raise UnsupportedFilter(f"equality on {key} takes a scalar value")


def json_path(field: str) -> str:
    return "$." + field


def scalar(value: Any) -> Any:
    """A value as SQLite compares it (booleans are 0 and 1 in its JSON functions)."""
    if isinstance(value, bool):
        return int(value)
    return value


_COMPARE = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def to_sql(
    flt: Mapping[str, Any], params: list[Any], scalars: AbstractSet[str] = frozenset()
) -> str:
    """Translate a checked filter to a WHERE clause over ``doc`` (the JSON column).

    A field may hold a list, whose elements each match (``json_each``); the ``scalars``
    are known not to (the keys of the collection's indexes), so they are compared as
    ``json_extract(doc, '$.field')``, the expression their index is built on, which lets
    SQLite use it."""
    clauses: list[str] = []
    for key, value in flt.items():
        if key == "$and":
            clauses.append("(" + " AND ".join(to_sql(sub, params, scalars) for sub in value) + ")")
        elif key == "$or":
            clauses.append("(" + " OR ".join(to_sql(sub, params, scalars) for sub in value) + ")")
        elif isinstance(value, Mapping) and any(k.startswith("$") for k in value):
            for op, arg in value.items():
                clauses.append(_on(key, op, arg, params, scalars))
        else:
            clauses.append(_on(key, "$eq", value, params, scalars))
    return " AND ".join(clauses) if clauses else "1"


def extract(field: str) -> str:
    """The SQL of a field's value, its path written out (as index expressions are);
    ``_id`` is the table's key column."""
    if field == "_id":
        return "id"
    if not _PATH.match(field):
        raise UnsupportedFilter(f"unsupported field path {field!r}")
    return f"json_extract(doc, '{json_path(field)}')"


def _on(field: str, op: str, arg: Any, params: list[Any], scalars: AbstractSet[str]) -> str:
    if field not in scalars or op == "$exists" or (op in ("$eq", "$ne") and arg is None):
        return _operator(field, op, arg, params)
    value = extract(field)
    if op == "$eq":
        params.append(scalar(arg))
        return f"{value} = ?"
    if op == "$ne":  # a missing field is not equal either
        params.append(scalar(arg))
        return f"{value} IS NOT ?"
    if op in ("$in", "$nin"):
        known = [scalar(a) for a in arg if a is not None]
        params.extend(known)
        among = f"{value} IN ({','.join('?' * len(known))})" if known else "0"
        if op == "$in":
            return f"({among} OR {value} IS NULL)" if None in arg else among
        if None in arg:
            return f"({value} IS NOT NULL AND NOT ({among}))"
        return f"({value} IS NULL OR NOT ({among}))"
    params.append(scalar(arg))
    return f"{value} {_COMPARE[op]} ?"


def _any_element(field: str, condition: str, params: list[Any], args: list[Any]) -> str:
    params.append(json_path(field))
    params.extend(args)
    return f"EXISTS (SELECT 1 FROM json_each(doc, ?) AS e WHERE {condition})"


def _operator(field: str, op: str, arg: Any, params: list[Any]) -> str:
    if op == "$exists":
        params.append(json_path(field))
        clause = "json_type(doc, ?) IS NOT NULL"
        return clause if arg else f"NOT ({clause})"
    if op == "$eq":
        if arg is None:
            params.append(json_path(field))
            return "json_extract(doc, ?) IS NULL"
        return _any_element(field, "e.value = ?", params, [scalar(arg)])
    if op == "$ne":
        return "NOT (" + _operator(field, "$eq", arg, params) + ")"
    if op == "$in":
        if not arg:
            return "0"
        parts = []
        if any(a is None for a in arg):
            parts.append(_operator(field, "$eq", None, params))
        values = [scalar(a) for a in arg if a is not None]
        if values:
            marks = ",".join("?" * len(values))
            parts.append(_any_element(field, f"e.value IN ({marks})", params, values))
        return "(" + " OR ".join(parts) + ")"
    if op == "$nin":
        return "NOT " + _operator(field, "$in", arg, params)
    if op in _COMPARE:
        return _any_element(field, f"e.value {_COMPARE[op]} ?", params, [scalar(arg)])
    raise UnsupportedFilter(op)


def matches_where(doc: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """Equality-only guard used by ``Collection.update(where=...)``."""
    for key, expected in where.items():
        node: Any = doc
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node != expected:
            return False
    return True


def dumps(doc: Any) -> str:
    """Compact JSON text (as ``json.dumps`` with no spaces and no escaping, three to four
    times faster); NaN and infinities are written as Python's ``json`` writes them."""
    text: str = pydantic_core.to_json(doc, inf_nan_mode="constants").decode()
    return text


def loads(text: str | bytes) -> Any:
    """What ``dumps`` wrote (twice as fast as ``json.loads``)."""
    return pydantic_core.from_json(text, allow_inf_nan=True)
