"""GraphQL types derived from API models: fields, order, exclusions, resolvers on the model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import pytest
import strawberry
from pydantic import BaseModel, Field

from boyin_gateway.derived import derived, shown_as


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
    link: str = strawberry.field(resolver=_link, description="Where it is.")


@strawberry.type
class _Refused:
    code: str


@strawberry.type
class _Query:
    @strawberry.field
    def item(self) -> Annotated[ShownItem | _Refused, strawberry.union("ShownItemResult")]:
        return shown_as(ShownItem, _Item(id="i1", title=_Text(zh="甲"), at=datetime.now(UTC)))


SCHEMA = strawberry.Schema(query=_Query)


def test_the_type_has_the_models_fields_in_order_then_its_resolvers() -> None:
    sdl = SCHEMA.as_str()
    body = sdl.split("type ShownItem {")[1].split("}")[0]
    names = [line.split(":")[0].strip() for line in body.splitlines() if ":" in line]
    assert names == ["id", "title", "at", "counterpartId", "link"]
    assert '"""An item."""' in sdl and '"""What it is called."""' in sdl
    assert "secret" not in sdl
    assert "id: ID!" in body


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
