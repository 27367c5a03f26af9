"""Every GraphQL error the gateway gives a caller, explained in Chinese and English.

graphql-core writes its errors in English only (a document's validation: unknown field,
argument or type, wrong or missing argument, selections; the variables' values; syntax).
:func:`explain` keeps the library's ``message`` and adds ``extensions``
``{"code": ..., "message": {"zh": ..., "en": ...}}``, the shape of the limits' refusals
(``limits.EXPLAINED``) and of the paging errors (``paging.PagingError``). A wrong enum
value is told the allowed values in both languages. An error no pattern knows gets the
code ``INVALID_QUERY`` and a Chinese message that points to the English one; a server's
fault is masked (``schema.MaskedErrors``) with ``INTERNAL_ERROR``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import GraphQLEnumType, GraphQLError, GraphQLSchema

from boyin_gateway import limits

_NAME = r"'\$?@?([\w.]+)'"
_TYPE = r"'([^']+)'"


@dataclass(frozen=True)
class _Explained:
    """A pattern of the library's message and what it means, in both languages: ``{0}``,
    ``{1}``... are the pattern's groups; ``{values}`` the allowed values of the enum named
    by the group ``enum``."""

    pattern: re.Pattern[str]
    code: str
    zh: str
    en: str


def _e(pattern: str, code: str, zh: str, en: str) -> _Explained:
    return _Explained(re.compile(pattern), code, zh, en)


#: the messages of a value (literal or variable) that does not fit its type
_VALUES = [
    _e(
        r"Value '(.*)' does not exist in '(?P<enum>\w+)' enum",
        "INVALID_ENUM_VALUE",
        "“{0}”不是 {1} 的取值之一（可选：{values}）",
        "'{0}' is not one of the values of {1} ({values})",
    ),
    _e(
        r"Enum '(?P<enum>\w+)' cannot represent non-enum value: (.*?)\.( Did you mean.*)?$",
        "INVALID_ENUM_VALUE",
        "{1} 不是 {0} 的取值之一（枚举值不加引号；可选：{values}）",
        "{1} is not one of the values of {0} (enum values take no quotes: {values})",
    ),
    _e(
        r"Int cannot represent non 32-bit signed integer value: (.*)",
        "WRONG_TYPE",
        "{0} 超出 Int 的范围（32 位有符号整数）",
        "{0} is out of the range of Int (a 32-bit signed integer)",
    ),
    _e(
        r"^(\w+) cannot represent .*?value: (.*)",
        "WRONG_TYPE",
        "{1} 不是有效的 {0} 值",
        "{1} is not a valid {0}",
    ),
    _e(
        rf"Expected a value of non-null type {_TYPE} to be provided",
        "REQUIRED_VALUE",
        "缺少必填的值（类型 {0}）",
        "a value of type {0} is required",
    ),
    _e(
        rf"Expected value of non-null type {_TYPE} not to be None",
        "REQUIRED_VALUE",
        "值不能为 null（类型 {0}）",
        "the value of type {0} must not be null",
    ),
    _e(
        rf"Expected value of type {_TYPE} to include required field {_NAME}",
        "MISSING_INPUT_FIELD",
        "{0} 缺少必填字段 {1}",
        "{0} needs its field {1}",
    ),
    _e(
        rf"Expected value of type {_TYPE} not to include unknown field {_NAME}",
        "UNKNOWN_INPUT_FIELD",
        "{0} 没有字段 {1}",
        "{0} has no field {1}",
    ),
    _e(
        rf"Expected value of type {_TYPE} to be an object",
        "NOT_AN_OBJECT",
        "{0} 的值须为对象",
        "the value of {0} must be an object",
    ),
    _e(
        rf"OneOf Input Object {_TYPE} must specify exactly one key",
        "ONE_OF",
        "{0} 须且只能给出一个字段",
        "{0} takes exactly one of its fields",
    ),
    _e(
        rf"Field {_NAME} must be non-null",
        "REQUIRED_VALUE",
        "字段 {0} 不能为 null",
        "the field {0} must not be null",
    ),
]

#: the messages of a document's validation and of its variables
_DOCUMENT = [
    _e(
        rf"Cannot query field {_NAME} on type {_TYPE}",
        "UNKNOWN_FIELD",
        "类型 {1} 没有字段 {0}",
        "the type {1} has no field {0}",
    ),
    _e(
        rf"Unknown argument {_NAME} on (?:field|directive) {_NAME}",
        "UNKNOWN_ARGUMENT",
        "{1} 没有参数 {0}",
        "{1} has no argument {0}",
    ),
    _e(
        r"Argument '([\w.@]+)\((\w+):\)' of type '([^']+)' is required, but it was not provided",
        "MISSING_ARGUMENT",
        "{0} 缺少必填参数 {1}（类型 {2}）",
        "{0} needs its argument {1} (of type {2})",
    ),
    _e(
        rf"Field {_NAME} of required type {_TYPE} was not provided",
        "MISSING_INPUT_FIELD",
        "缺少必填字段 {0}（类型 {1}）",
        "the field {0} (of type {1}) is required",
    ),
    _e(
        rf"Field {_NAME} of type {_TYPE} must have a selection of subfields",
        "SELECTION_REQUIRED",
        "字段 {0}（类型 {1}）须选择其子字段",
        "the field {0} (of type {1}) needs a selection of its subfields",
    ),
    _e(
        rf"Field {_NAME} must not have a selection since type {_TYPE} has no subfields",
        "NO_SELECTION",
        "字段 {0}（类型 {1}）没有子字段可选",
        "the field {0} (of type {1}) has no subfields to select",
    ),
    _e(
        r"Variable '\$(\w+)' has invalid value(?: at ([^:]+))?: (?P<value>.*)",
        "INVALID_VARIABLE",
        "变量 ${0} 的值无效{at_zh}：{value_zh}",
        "the variable ${0}{at_en} has an invalid value: {value_en}",
    ),
    _e(
        rf"Variable '\$(\w+)' of type {_TYPE} used in position expecting type {_TYPE}",
        "VARIABLE_TYPE_MISMATCH",
        "变量 ${0} 的类型是 {1}，此处需要 {2}",
        "the variable ${0} is of type {1} where {2} is expected",
    ),
    _e(
        r"Variable '\$(\w+)' is never used",
        "UNUSED_VARIABLE",
        "变量 ${0} 声明了但未使用",
        "the variable ${0} is declared but never used",
    ),
    _e(
        r"Variable '\$(\w+)' is not defined",
        "UNDEFINED_VARIABLE",
        "变量 ${0} 未声明",
        "the variable ${0} is not declared",
    ),
    _e(
        r"Variable '\$(\w+)' cannot be non-input type",
        "WRONG_TYPE",
        "变量 ${0} 的类型不是输入类型",
        "the variable ${0} is not of an input type",
    ),
    _e(rf"Unknown type {_NAME}", "UNKNOWN_TYPE", "未知类型 {0}", "unknown type {0}"),
    _e(
        rf"Unknown directive {_NAME}",
        "UNKNOWN_DIRECTIVE",
        "未知指令 @{0}",
        "unknown directive @{0}",
    ),
    _e(rf"Unknown fragment {_NAME}", "UNKNOWN_FRAGMENT", "未知片段 {0}", "unknown fragment {0}"),
    _e(
        rf"Fragment {_NAME} is never used",
        "UNUSED_FRAGMENT",
        "片段 {0} 定义了但未使用",
        "the fragment {0} is defined but never used",
    ),
    _e(
        rf"Fragment cannot be spread here as objects of type {_TYPE} can never be of type {_TYPE}",
        "WRONG_FRAGMENT_TYPE",
        "类型 {0} 的对象不可能是 {1}，此处不能展开该片段",
        "objects of type {0} can never be of type {1}: the fragment cannot be spread here",
    ),
    _e(
        rf"Fields {_NAME} conflict because",
        "FIELD_CONFLICT",
        "同名字段 {0} 取的内容不同，请用别名区分",
        "the fields named {0} ask for different things: give them different aliases",
    ),
    _e(
        rf"There can be only one argument named {_NAME}",
        "DUPLICATE_ARGUMENT",
        "参数 {0} 重复",
        "the argument {0} is given more than once",
    ),
    _e(
        rf"There can be only one (?:operation|fragment|variable) named {_NAME}",
        "DUPLICATE_NAME",
        "名称 {0} 重复",
        "the name {0} is used more than once",
    ),
    _e(
        r"This anonymous operation must be the only defined operation",
        "ANONYMOUS_OPERATION",
        "文档含多个操作时，每个操作都须命名",
        "an anonymous operation must be the only operation of the document",
    ),
    _e(
        r"Must provide operation name if query contains multiple operations",
        "OPERATION_NAME_REQUIRED",
        "文档含多个操作，须指明要执行的操作名",
        "the document has several operations: name the one to run",
    ),
    _e(
        rf"Unknown operation named {_NAME}",
        "UNKNOWN_OPERATION",
        "文档中没有名为 {0} 的操作",
        "the document has no operation named {0}",
    ),
    _e(
        r"Subscription .*must select only one top level field",
        "ONE_SUBSCRIPTION_FIELD",
        "一个订阅只能选择一个顶层字段",
        "a subscription selects exactly one top-level field",
    ),
    _e(
        r"^Syntax Error: ",
        "SYNTAX_ERROR",
        "查询语法有误{at_zh}",
        "the query has a syntax error{at_en}",
    ),
    *_VALUES,
]

#: an error no pattern knows (its English message says what it is)
UNKNOWN = ("INVALID_QUERY", "查询有误（详见英文说明）")


def explain(errors: list[GraphQLError], schema: GraphQLSchema | None = None) -> None:
    """Give each error that has none yet a code and a message in Chinese and English (in
    ``extensions``; the library's ``message`` stays). ``schema`` names an enum's values."""
    for error in errors:
        if isinstance((error.extensions or {}).get("message"), dict):
            continue  # explained where it was made (the paging arguments)
        code, zh, en = _explained(error, schema)
        error.extensions = {
            **(error.extensions or {}),
            "code": code,
            "message": {"zh": zh, "en": en},
        }


def _explained(error: GraphQLError, schema: GraphQLSchema | None) -> tuple[str, str, str]:
    for pattern, code, zh, en in limits.EXPLAINED:
        found = pattern.search(error.message)
        if found:
            return code, zh.format(*found.groups()), en.format(*found.groups())
    located = _location(error)
    said = _said(error.message, _DOCUMENT, schema, located)
    return said or (UNKNOWN[0], UNKNOWN[1], error.message)


def _location(error: GraphQLError) -> tuple[str, str]:
    if not error.locations:
        return "", ""
    at = error.locations[0]
    return f"（第 {at.line} 行第 {at.column} 列）", f" (line {at.line}, column {at.column})"


def _said(
    message: str,
    table: list[_Explained],
    schema: GraphQLSchema | None,
    located: tuple[str, str] = ("", ""),
) -> tuple[str, str, str] | None:
    """The code and the two messages of the first pattern of ``table`` ``message`` fits."""
    for item in table:
        found = item.pattern.search(message)
        if not found:
            continue
        groups = [g or "" for g in found.groups()]
        named = found.groupdict()
        extra = {"at_zh": located[0], "at_en": located[1], "values": ""}
        if named.get("enum"):
            extra["values"] = _values(schema, named["enum"])
        if named.get("value") is not None:
            inner = _said(named["value"], _VALUES, schema)
            _, value_zh, value_en = inner or (item.code, UNKNOWN[1], named["value"])
            path = found.group(2)
            extra |= {
                "at_zh": f"（位置 {path}）" if path else "",
                "at_en": f" (at {path})" if path else "",
                "value_zh": value_zh,
                "value_en": value_en,
            }
        return item.code, item.zh.format(*groups, **extra), item.en.format(*groups, **extra)
    return None


def _values(schema: GraphQLSchema | None, enum: str) -> str:
    found = schema.get_type(enum) if schema is not None else None
    return ", ".join(found.values) if isinstance(found, GraphQLEnumType) else ""
