"""GraphQL input types derived from request models: fields, order, defaults, descriptions."""

from __future__ import annotations

from enum import StrEnum

import pytest
import strawberry
from pydantic import BaseModel, Field

from boyin_gateway.derived_input import derived_input


class _Kind(BaseModel):
    code: str


class _Size(StrEnum):
    S = "S"
    L = "L"


class _ItemIn(BaseModel):
    name: str = Field(description="What to call it.")
    kind: str = "plain"
    tags: list[str] = Field(default_factory=list)
    note: str | None = None
    size: _Size | None = None


@derived_input(_ItemIn, name="ItemInput", description="A new item.", exclude=["tags"])
class ItemInput:
    note: str | None = strawberry.field(description="For the reviewers.")
    size: str | None


@strawberry.type
class _Query:
    @strawberry.field
    def sent(self, item: ItemInput) -> str:
        return repr(sorted(strawberry.asdict(item).items()))


SCHEMA = strawberry.Schema(query=_Query)


def test_the_input_has_the_models_fields_defaults_and_descriptions_in_order() -> None:
    sdl = SCHEMA.as_str()
    assert '"""A new item."""\ninput ItemInput {' in sdl
    body = sdl.split("input ItemInput {")[1].split("}")[0]
    assert [line.strip() for line in body.splitlines() if line.strip()] == [
        '"""What to call it."""',
        "name: String!",
        'kind: String! = "plain"',
        '"""For the reviewers."""',
        "note: String = null",
        "size: String = null",
    ]


def test_a_resolver_reads_the_input_as_sent_with_the_defaults() -> None:
    result = SCHEMA.execute_sync('{ sent(item: { name: "x", size: "L" }) }')
    assert result.errors is None
    assert result.data == {
        "sent": "[('kind', 'plain'), ('name', 'x'), ('note', None), ('size', 'L')]"
    }


def test_naming_or_excluding_a_field_the_model_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="lacks"):

        @derived_input(_Kind, exclude=["nope"])
        class Excluding:
            pass

    with pytest.raises(TypeError, match="lacks"):

        @derived_input(_Kind)
        class Naming:
            nope: str
