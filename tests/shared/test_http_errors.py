"""The one mapping of pydantic's request-validation errors to the platform's field errors:
one code style (UPPER_SNAKE) and Chinese messages that say what the English says."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from boyin_shared.errors import FieldError
from boyin_shared.http import _PYDANTIC, field_errors, read_leniently

UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
#: A run of lower-case Latin letters: an English word in a Chinese message.
ENGLISH_WORD = re.compile(r"[a-z]{2,}")
#: Quoted values and field names are ids, not words, and stay as they are.
QUOTED = re.compile(r"'[^']*'")


class Colour(StrEnum):
    RED = "RED"
    GREEN = "GREEN"


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["A", "B"]


class Cat(BaseModel):
    pet: Literal["CAT"]


class Dog(BaseModel):
    pet: Literal["DOG"]


class Everything(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=4)
    code: str = Field(default="AB", pattern=r"^[A-Z]+$")
    colour: Colour = Colour.RED
    count: int = Field(default=1, gt=0, le=10)
    ratio: float = Field(default=1.0, ge=0, lt=2)
    flag: bool = False
    day: date = date(2026, 5, 20)
    at: datetime = datetime(2026, 5, 20)
    items: list[int] = Field(default_factory=list, min_length=0, max_length=2)
    inner: Inner = Field(default_factory=lambda: Inner(kind="A"))
    animal: Annotated[Cat | Dog, Field(discriminator="pet")] = Field(
        default_factory=lambda: Cat(pet="CAT")
    )


BAD_INPUTS = [
    {},
    {"name": "x"},
    {"name": "toolong"},
    {"name": 3},
    {"name": "ok", "code": "ab"},
    {"name": "ok", "colour": "BLUE"},
    {"name": "ok", "count": "many"},
    {"name": "ok", "count": 0},
    {"name": "ok", "count": 11},
    {"name": "ok", "count": 1.5},
    {"name": "ok", "ratio": "half"},
    {"name": "ok", "ratio": -1},
    {"name": "ok", "ratio": 2},
    {"name": "ok", "flag": "perhaps"},
    {"name": "ok", "day": "20 May"},
    {"name": "ok", "day": "2026-05-20T10:00:00"},
    {"name": "ok", "at": "tomorrow"},
    {"name": "ok", "items": [1, 2, 3]},
    {"name": "ok", "items": "1,2"},
    {"name": "ok", "inner": {"kind": "C"}},
    {"name": "ok", "inner": {"kind": "A", "more": 1}},
    {"name": "ok", "inner": "A"},
    {"name": "ok", "animal": {"pet": "FISH"}},
    {"name": "ok", "animal": {}},
    {"name": "ok", "nickname": "x"},
]


def errors_of(raw: object) -> list[FieldError]:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate(raw)
    return field_errors(caught.value.errors())


def json_errors() -> list[FieldError]:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate_json('{"name": ')
    return field_errors(caught.value.errors())


ALL = [e for raw in BAD_INPUTS for e in errors_of(raw)] + json_errors()


def test_every_error_code_is_upper_snake() -> None:
    assert len(ALL) >= len(BAD_INPUTS)
    assert {e.code for e in ALL if not UPPER_SNAKE.match(e.code)} == set()
    assert {code for code, _ in _PYDANTIC.values() if not UPPER_SNAKE.match(code)} == set()


def test_no_chinese_message_carries_english_words() -> None:
    for e in ALL:
        assert e.message.zh and e.message.en
        assert not ENGLISH_WORD.search(QUOTED.sub("", e.message.zh)), (e.field, e.message)


def test_chinese_says_what_english_says() -> None:
    (colour,) = errors_of({"name": "ok", "colour": "BLUE"})
    assert colour.code == "NOT_ALLOWED_VALUE"
    assert "'RED' or 'GREEN'" in colour.message.en
    assert "'RED'、'GREEN'" in colour.message.zh or "'RED' 或 'GREEN'" in colour.message.zh
    (short,) = errors_of({"name": "x"})
    assert (short.code, "2" in short.message.en, "2" in short.message.zh) == (
        "STRING_TOO_SHORT",
        True,
        True,
    )
    (many,) = errors_of({"name": "ok", "items": [1, 2, 3]})
    assert "2" in many.message.zh and "3" in many.message.zh
    (small,) = errors_of({"name": "ok", "count": 0})
    assert small.code == "TOO_SMALL" and "0" in small.message.zh
    (tag,) = errors_of({"name": "ok", "animal": {"pet": "FISH"}})
    assert "FISH" in tag.message.zh and "CAT" in tag.message.zh
    (missing,) = errors_of({})
    assert (missing.field, missing.code, missing.message.zh) == ("name", "MISSING", "缺少必填字段")


def test_an_unknown_pydantic_type_still_gets_an_upper_snake_code_and_chinese() -> None:
    (e,) = field_errors([{"type": "some_new_type", "loc": ("body", "x"), "msg": "Bad"}])
    assert (e.field, e.code, e.message.zh, e.message.en) == (
        "x",
        "SOME_NEW_TYPE",
        "取值无效",
        "Bad",
    )


def test_a_refused_body_is_still_read_part_by_part() -> None:
    """What :func:`completed_by` gives a service's own checks: the good parts as pydantic
    reads them, stand-ins of the right type for the rest."""
    read = read_leniently(
        Everything,
        {"name": "x", "colour": "GREEN", "count": "many", "inner": {"kind": "Z"}, "items": [1]},
    )
    assert read.colour is Colour.GREEN and read.items == [1]
    assert (read.name, read.count) == ("", 1)
    assert isinstance(read.inner, Inner) and read.inner.kind == "A"
    assert read_leniently(Inner, "not an object").kind == "A"
