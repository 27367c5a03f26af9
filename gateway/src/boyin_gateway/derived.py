"""GraphQL object and input types derived from the services' API models (``boyin_shared.api``).

A derived type exposes every field of its model, in the model's order, with the model's
types and field descriptions; the class adds only what the model does not say: the
GraphQL type's name and description, an ``ID`` where the model has a ``str``, fields left
out, a field's description where the model has none (``strawberry.field(description=...)``
over a model field), and resolver fields (relations through DataLoaders, links), which come
after the model's fields. Resolvers receive the model instance itself as the parent: a
resolver that returns the service's answer needs no mapping.

The class is remade by strawberry: it keeps its fields and resolvers, not plain methods.
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


def derived(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived(MeetingOut, name="Meeting")`` over a class of resolver fields."""
    return _derive(model, name, description, exclude, is_input=False)


def derived_input(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived_input(ContactIn, name="ContactInput")``: a GraphQL input type with the
    model's fields and defaults. Resolvers read it as any input (``strawberry.asdict``);
    the service validates what it is sent, as before."""
    return _derive(model, name, description, exclude, is_input=True)


def _derive(
    model: type[BaseModel],
    name: str | None,
    description: str | None,
    exclude: Sequence[str],
    *,
    is_input: bool,
) -> Callable[[type[T]], type[T]]:
    def wrap(cls: type[T]) -> type[T]:
        unknown = set(exclude) - set(model.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__} excludes fields {model.__name__} lacks: {unknown}")
        own: dict[str, Any] = inspect.get_annotations(cls)
        kept = [f for f in model.model_fields if f not in exclude]
        described = {
            f: v.description
            for f, v in vars(cls).items()
            if f in kept and isinstance(v, StrawberryField) and v.base_resolver is None
        }
        cls.__annotations__ = {f: own.get(f, strawberry.auto) for f in kept} | {
            k: v for k, v in own.items() if k not in model.model_fields
        }
        typed = strawberry.experimental.pydantic.type(
            model=model, name=name or cls.__name__, description=description, is_input=is_input
        )(cls)
        fields = get_object_definition(typed, strict=True).fields
        for field in fields:
            if described.get(field.python_name):
                field.description = described[field.python_name]
        order = {f: i for i, f in enumerate(kept)}
        later = len(order)
        fields.sort(key=lambda f: order.get(f.python_name, later))
        return cast(type[T], typed)

    return wrap


def shown_as(cls: type[T], answer: BaseModel) -> T:
    """A service's ``answer`` where the GraphQL type ``cls`` derived from its model (or
    written by hand as a view of it) is expected: strawberry reads the fields from the
    model instance itself (no copy)."""
    return cast(T, answer)
