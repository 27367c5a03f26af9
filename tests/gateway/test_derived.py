"""GraphQL types derived from API models: fields, order, exclusions, resolvers on the model,
and what a class says beyond its model (order, GraphQL names and descriptions, nested types);
input types derived from request models: fields, order, defaults, descriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import pytest
import strawberry
from pydantic import AwareDatetime, BaseModel, Field

from boyin_gateway.derived import derived, derived_input, nested_as, shown_as


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


# -- what a class may say beyond the model ------------------------------------------------


class _Span(BaseModel):
    start: AwareDatetime
    end: AwareDatetime | None = None


class _Long(_Text):
    """A subclass of a model shown by a hand-written type is shown by it too."""


@strawberry.type(name="HandText", description="Text, written by hand.")
class _HandText:
    zh: str | None
    en: str | None


class _Entry(BaseModel):
    token: str
    kind: str
    span: _Span
    note: _Long
    count: int


@derived(_Span, name="ShownSpan")
class ShownSpan:
    pass


nested_as(_Long, _HandText)


@derived(
    _Entry,
    name="ShownEntry",
    exclude=["count"],
    order=["kind", "later", "token"],
)
class ShownEntry:
    token: str = strawberry.field(name="secretToken", description="Keep it private.")

    @strawberry.field
    def later(self, root: strawberry.Parent[_Entry]) -> Later:
        return Later(count=root.count)


@strawberry.type
class Later:
    """Defined after the type whose resolver returns it."""

    count: int


@strawberry.type
class _EntryQuery:
    @strawberry.field
    def entry(self) -> ShownEntry:
        span = _Span(start=datetime(2026, 9, 1, 9, tzinfo=UTC))
        entry = _Entry(token="t", kind="k", span=span, note=_Long(en="n"), count=3)
        return shown_as(ShownEntry, entry)


def test_the_class_orders_renames_describes_and_nests_what_the_model_does_not() -> None:
    schema = strawberry.Schema(query=_EntryQuery)
    sdl = schema.as_str()
    body = sdl.split("type ShownEntry {")[1].split("}")[0]
    names = [line.split(":")[0].strip() for line in body.splitlines() if ":" in line]
    assert names == ["kind", "later", "secretToken", "span", "note"]
    assert '"""Keep it private."""' in body and "note: HandText!" in body
    assert "start: DateTime!" in sdl and "end: DateTime\n" in sdl  # AwareDatetime
    result = schema.execute_sync(
        "{ entry { kind later { count } secretToken span { start end } note { en } } }"
    )
    assert result.errors is None
    assert result.data == {
        "entry": {
            "kind": "k",
            "later": {"count": 3},
            "secretToken": "t",
            "span": {"start": "2026-09-01T09:00:00+00:00", "end": None},
            "note": {"en": "n"},
        }
    }


def test_ordering_a_field_the_type_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="lacks"):

        @derived(_Text, order=["nope"])
        class Broken:
            pass


# -- input types ---------------------------------------------------------------------------


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
class _InputQuery:
    @strawberry.field
    def sent(self, item: ItemInput) -> str:
        return repr(sorted(strawberry.asdict(item).items()))


INPUT_SCHEMA = strawberry.Schema(query=_InputQuery)


def test_the_input_has_the_models_fields_defaults_and_descriptions_in_order() -> None:
    sdl = INPUT_SCHEMA.as_str()
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
    result = INPUT_SCHEMA.execute_sync('{ sent(item: { name: "x", size: "L" }) }')
    assert result.errors is None
    assert result.data == {
        "sent": "[('kind', 'plain'), ('name', 'x'), ('note', None), ('size', 'L')]"
    }


def test_naming_or_excluding_a_field_the_model_lacks_in_an_input_is_refused() -> None:
    with pytest.raises(TypeError, match="lacks"):

        @derived_input(_Kind, exclude=["nope"])
        class Excluding:
            pass

    with pytest.raises(TypeError, match="lacks"):

        @derived_input(_Kind)
        class Naming:
            nope: str
