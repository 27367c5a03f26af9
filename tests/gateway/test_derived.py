"""GraphQL types derived from API models: fields, order, exclusions, resolvers on the model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import pytest
import strawberry
from pydantic import BaseModel, Field

from boyin_gateway.derived import derived, derived_input, shown_as


class _Text(BaseModel):
    zh: str | None = None
    en: str | None = None


class _Item(BaseModel):
    id: str
    title: _Text = Field(description="What it is called.")
    at: datetime
    secret: str = "hidden"
    counterpart_id: str | None = None


@derived(_Text, name="ShownText", description="Text in two languages.")
class ShownText:
    pass


def _link(root: strawberry.Parent[_Item]) -> str:
    return f"/items/{root.id}"


@derived(_Item, name="ShownItem", description="An item.", exclude=["secret"])
class ShownItem:
    id: strawberry.ID
    counterpart_id: str | None = strawberry.field(description="Who is on the other side.")
    link: str = strawberry.field(resolver=_link, description="Where it is.")


class _ItemIn(BaseModel):
    name: str = Field(description="What to call it.")
    kind: str = "plain"
    tags: list[str] = Field(default_factory=list)
    note: str | None = None


@derived_input(_ItemIn, name="ItemInput", description="A new item.", exclude=["tags"])
class ItemInput:
    note: str | None = strawberry.field(description="For the reviewers.")


@strawberry.type
class _Refused:
    code: str


@strawberry.type
class _Query:
    @strawberry.field
    def item(self) -> Annotated[ShownItem | _Refused, strawberry.union("ShownItemResult")]:
        return shown_as(ShownItem, _Item(id="i1", title=_Text(zh="甲"), at=datetime.now(UTC)))

    @strawberry.field
    def sent(self, item: ItemInput) -> str:
        return repr(sorted(strawberry.asdict(item).items()))


SCHEMA = strawberry.Schema(query=_Query)


def test_the_type_has_the_models_fields_in_order_then_its_resolvers() -> None:
    sdl = SCHEMA.as_str()
    body = sdl.split("type ShownItem {")[1].split("}")[0]
    names = [line.split(":")[0].strip() for line in body.splitlines() if ":" in line]
    assert names == ["id", "title", "at", "counterpartId", "link"]
    assert '"""An item."""' in sdl and '"""What it is called."""' in sdl
    assert "secret" not in sdl
    assert "id: ID!" in body
    assert '"""Who is on the other side."""\n  counterpartId: String' in body


def test_an_input_type_has_the_models_fields_defaults_and_descriptions() -> None:
    sdl = SCHEMA.as_str()
    body = sdl.split("input ItemInput {")[1].split("}")[0]
    assert '"""A new item."""\ninput ItemInput' in sdl
    assert [line.strip() for line in body.splitlines() if line.strip()] == [
        '"""What to call it."""',
        "name: String!",
        'kind: String! = "plain"',
        '"""For the reviewers."""',
        "note: String = null",
    ]
    result = SCHEMA.execute_sync('{ sent(item: { name: "x" }) }')
    assert result.errors is None
    assert result.data == {"sent": "[('kind', 'plain'), ('name', 'x'), ('note', None)]"}


def test_fields_and_resolvers_read_the_model_instance_itself() -> None:
    result = SCHEMA.execute_sync(
        "{ item { ... on ShownItem { id title { zh en } counterpartId link } } }"
    )
    assert result.errors is None
    assert result.data == {
        "item": {
            "id": "i1",
            "title": {"zh": "甲", "en": None},
            "counterpartId": None,
            "link": "/items/i1",
        }
    }


def test_excluding_a_field_the_model_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="lacks"):

        @derived(_Text, exclude=["nope"])
        class Broken:
            pass
