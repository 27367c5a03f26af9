"""GraphQL input types derived from the services' request models (``boyin_shared.api``),
as :func:`boyin_gateway.derived.derived` derives object types from their answers.

A derived input has every field of its model, in the model's order, with the model's
types, defaults and field descriptions; the class says only what the model does not: the
type's name and description, fields left out, a field's type where GraphQL shows it
otherwise (a ``str`` for an enum or a date), and a field's description where the model has
none (``x: T = strawberry.field(description=...)``). Resolvers read the input as any other
(``strawberry.asdict``) and send it on: the service validates it, as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import strawberry
from pydantic import BaseModel
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

T = TypeVar("T")


def derived_input(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived_input(ContactIn, name="ContactInput")`` over a class of overrides."""

    def wrap(cls: type[T]) -> type[T]:
        unknown = set(exclude) - set(model.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__} excludes fields {model.__name__} lacks: {unknown}")
        own: dict[str, Any] = inspect.get_annotations(cls)
        strange = set(own) - set(model.model_fields)
        if strange:
            raise TypeError(f"{cls.__name__} names fields {model.__name__} lacks: {strange}")
        kept = [f for f in model.model_fields if f not in exclude]
        # strawberry's pydantic integration builds each field anew and drops a description
        # the class gives; it is set again on the finished type
        described = {
            f: field.description
            for f in kept
            if isinstance(field := cls.__dict__.get(f), StrawberryField) and field.description
        }
        cls.__annotations__ = {f: own.get(f, strawberry.auto) for f in kept}
        typed = strawberry.experimental.pydantic.input(
            model=model, name=name or cls.__name__, description=description
        )(cls)
        for field in get_object_definition(typed, strict=True).fields:
            if field.python_name in described:
                field.description = described[field.python_name]
        return cast(type[T], typed)

    return wrap
