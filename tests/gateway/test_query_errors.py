"""GraphQL-level errors (a document's validation, its variables, its syntax, a masked
fault) carry a code and a message in Chinese and English in ``extensions``, as the
limits' refusals do; the library's English ``message`` stays (on the gateway alone, its
services the fakes)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError

from boyin_gateway.query_errors import explain
from boyin_gateway.schema import schema
from tests.gateway.harness import Gateway
from tests.gateway.support import has_cjk
from tests.platform_harness import graphql_raw

DEMANDS = "query($f: DemandFilter, $n: Int!) { demands(filter: $f, first: $n) { pageInfo { hasNextPage } } }"


async def explained(gateway: Gateway, query: str, **variables: Any) -> list[dict[str, Any]]:
    """The errors of ``query`` (it runs nothing); each one explained in both languages."""
    response = await graphql_raw(gateway.url, query, **variables)
    body = response.json()
    assert body.get("data") is None, body
    assert gateway.platform.log == []
    for error in body["errors"]:
        said = error["extensions"]["message"]
        assert error["extensions"]["code"].isupper(), error
        assert has_cjk(said["zh"]) and said["en"] and not has_cjk(said["en"]), error
        assert error["message"], error  # the library's own message stays
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def said(error: dict[str, Any]) -> tuple[str, str, str]:
    message = error["extensions"]["message"]
    return error["extensions"]["code"], message["zh"], message["en"]


async def test_an_unknown_field_and_argument(gateway: Gateway) -> None:
    [field] = await explained(gateway, "{ me { id nickname } }")
    assert said(field) == (
        "UNKNOWN_FIELD",
        "类型 Account 没有字段 nickname",
        "the type Account has no field nickname",
    )
    [argument] = await explained(gateway, "{ demands(size: 3) { pageInfo { hasNextPage } } }")
    code, zh, en = said(argument)
    assert code == "UNKNOWN_ARGUMENT" and "size" in zh and "Query.demands" in en


async def test_a_missing_or_mistyped_argument(gateway: Gateway) -> None:
    [missing] = await explained(gateway, "{ talent { id } }")
    assert said(missing) == (
        "MISSING_ARGUMENT",
        "Query.talent 缺少必填参数 id（类型 ID!）",
        "Query.talent needs its argument id (of type ID!)",
    )
    [wrong] = await explained(gateway, '{ demands(first: "ten") { pageInfo { hasNextPage } } }')
    assert said(wrong) == ("WRONG_TYPE", '"ten" 不是有效的 Int 值', '"ten" is not a valid Int')
    [quoted] = await explained(
        gateway, '{ demands(filter: {status: "PUBLISHED"}) { pageInfo { hasNextPage } } }'
    )
    code, zh, en = said(quoted)
    assert code == "INVALID_ENUM_VALUE"
    assert "DemandStatus" in zh and "DRAFT" in zh and "EXPIRED" in zh and "DRAFT" in en


async def test_the_variables(gateway: Gateway) -> None:
    [enum] = await explained(gateway, DEMANDS, f={"status": "SOMEWHERE"}, n=5)
    code, zh, en = said(enum)
    assert code == "INVALID_VARIABLE"
    assert zh.startswith(
        "变量 $f 的值无效（位置 .status）：“SOMEWHERE”不是 DemandStatus 的取值之一"
    )
    assert "PUBLISHED" in zh and "PUBLISHED" in en and "SOMEWHERE" in en
    [missing] = await explained(gateway, DEMANDS, f=None)
    assert said(missing)[:2] == ("INVALID_VARIABLE", "变量 $n 的值无效：缺少必填的值（类型 Int!）")
    [mismatch] = await explained(
        gateway, "query($n: String!) { demands(first: $n) { pageInfo { hasNextPage } } }", n="1"
    )
    assert said(mismatch)[:2] == (
        "VARIABLE_TYPE_MISMATCH",
        "变量 $n 的类型是 String!，此处需要 Int!",
    )


async def test_syntax_and_selections(gateway: Gateway) -> None:
    [syntax] = await explained(gateway, "{ me { id }")
    assert said(syntax)[:2] == ("SYNTAX_ERROR", "查询语法有误（第 1 行第 12 列）")
    [bare] = await explained(gateway, "{ me }")
    assert said(bare)[0] == "SELECTION_REQUIRED"


def test_an_error_no_pattern_knows_is_explained_in_general_terms() -> None:
    error = GraphQLError("Something graphql-core will say one day.")
    explain([error], schema._schema)
    assert error.extensions == {
        "code": "INVALID_QUERY",
        "message": {"zh": "查询有误（详见英文说明）", "en": error.message},
    }


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("Document contains more than 2000 tokens. Parsing aborted.", "QUERY_TOO_LONG"),
        ("'Q' exceeds maximum operation depth of 12", "QUERY_TOO_DEEP"),
    ],
)
def test_the_limits_keep_their_explanations(message: str, code: str) -> None:
    error = GraphQLError(message)
    explain([error])
    assert error.extensions is not None and error.extensions["code"] == code
