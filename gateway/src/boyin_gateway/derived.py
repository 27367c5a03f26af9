"""GraphQL object types derived from the services' API models (``boyin_shared.api``).

A derived type exposes every field of its model, in the model's order, with the model's
types and field descriptions; the class adds only what the model does not say: the
GraphQL type's name and description, an ``ID`` where the model has a ``str``, fields left
out, and resolver fields (relations through DataLoaders, links), which come after the
model's fields. Resolvers receive the model instance itself as the parent: a resolver that
returns the service's answer needs no mapping.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import strawberry
from pydantic import BaseModel
from strawberry.types.base import get_object_definition

T = TypeVar("T")


def derived(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived(MeetingOut, name="Meeting")`` over a class of resolver fields."""

    def wrap(cls: type[T]) -> type[T]:
        unknown = set(exclude) - set(model.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__} excludes fields {model.__name__} lacks: {unknown}")
        own: dict[str, Any] = inspect.get_annotations(cls)
        kept = [f for f in model.model_fields if f not in exclude]
        cls.__annotations__ = {f: own.get(f, strawberry.auto) for f in kept} | {
            k: v for k, v in own.items() if k not in model.model_fields
        }
        typed = strawberry.experimental.pydantic.type(
            model=model, name=name or cls.__name__, description=description
        )(cls)
        order = {f: i for i, f in enumerate(kept)}
        later = len(order)
        get_object_definition(typed, strict=True).fields.sort(
            key=lambda f: order.get(f.python_name, later)
        )
        return cast(type[T], typed)

    return wrap


def shown_as(cls: type[T], answer: BaseModel) -> T:
    """A service's ``answer`` where the GraphQL type ``cls`` derived from its model is
    expected: strawberry reads the fields from the model instance itself (no copy)."""
    return cast(T, answer)
