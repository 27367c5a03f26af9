"""GraphQL types derived from the services' API models (``boyin_shared.api``): object types
from their answers (:func:`derived`), input types from their requests (:func:`derived_input`).

A derived type exposes every field of its model, in the model's order, with the model's
types, defaults and field descriptions; the class adds only what the model does not say:
the GraphQL type's name and description, an ``ID`` where the model has a ``str`` (or an
enum, a ``str`` for a date), fields left out, a field's GraphQL name or description
(``x: T = strawberry.field(name=..., description=...)``) and, on object types, the order
where the GraphQL type shows the fields differently and resolver fields (relations through
DataLoaders, links), which come after the model's fields. Resolvers receive the model
instance itself as the parent: a resolver that returns the service's answer needs no
mapping. An input is read as any other (``strawberry.asdict``) and sent on: the service
validates it.

A model that several services share the GraphQL shape of (bilingual text) is shown by one
hand-written type everywhere it is nested: :func:`nested_as`.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar, Union, cast, get_args, get_origin

import strawberry
from pydantic import AwareDatetime, BaseModel, NaiveDatetime
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

T = TypeVar("T")

#: pydantic's constrained types strawberry does not know, as the GraphQL scalar's type
_PLAIN: dict[Any, type] = {AwareDatetime: datetime, NaiveDatetime: datetime}


def derived(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
    order: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived(MeetingOut, name="Meeting")`` over a class of resolver fields.

    ``order`` names (python names) the fields that come first, in that order, where the
    GraphQL type shows them otherwise than the model; the rest follow as usual."""
    return lambda cls: _derive(cls, model, name, description, exclude, order, is_input=False)


def derived_input(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    exclude: Sequence[str] = (),
) -> Callable[[type[T]], type[T]]:
    """``@derived_input(ContactIn, name="ContactInput")`` over a class of overrides (of
    the model's fields only: an input has no resolvers)."""
    return lambda cls: _derive(cls, model, name, description, exclude, (), is_input=True)


def _derive(
    cls: type[T],
    model: type[BaseModel],
    name: str | None,
    description: str | None,
    exclude: Sequence[str],
    order: Sequence[str],
    *,
    is_input: bool,
) -> type[T]:
    """The one derivation behind :func:`derived` and :func:`derived_input`."""
    unknown = set(exclude) - set(model.model_fields)
    if unknown:
        raise TypeError(f"{cls.__name__} excludes fields {model.__name__} lacks: {unknown}")
    own: dict[str, Any] = inspect.get_annotations(cls)
    extra = {k: v for k, v in own.items() if k not in model.model_fields}
    if is_input and extra:
        raise TypeError(f"{cls.__name__} names fields {model.__name__} lacks: {set(extra)}")
    kept = [f for f in model.model_fields if f not in exclude]
    # strawberry's pydantic integration builds each field anew and drops a description the
    # class gives; it is set again on the finished type
    described = {
        f: field.description
        for f in kept
        if isinstance(field := cls.__dict__.get(f), StrawberryField)
        and field.base_resolver is None
        and field.description
    }
    cls.__annotations__ = {f: own.get(f, _auto(model, f, is_input)) for f in kept} | extra
    typed = strawberry.experimental.pydantic.type(
        model=model, name=name or cls.__name__, description=description, is_input=is_input
    )(cls)
    # strawberry makes the type anew and reads the class's annotations at once: a type
    # defined further down (a forward reference) is read again, in the class's module,
    # when the schema is built; a resolver without one has its return type
    typed.__module__ = cls.__module__
    namespace = sys.modules[cls.__module__].__dict__
    fields = get_object_definition(typed, strict=True).fields
    for field in fields:
        if field.python_name in own:
            field.type_annotation = StrawberryAnnotation(
                own[field.python_name], namespace=namespace
            )
        elif field.base_resolver is not None:
            field.type_annotation = None
        if field.python_name in described:
            field.description = described[field.python_name]
    _order(cls, fields, kept, order)
    return cast(type[T], typed)


def _order(cls: type, fields: list[Any], kept: list[str], order: Sequence[str]) -> None:
    """Sort ``fields``: those ``order`` names first, then the model's, then resolvers."""
    named = {f.python_name for f in fields}
    if set(order) - named:
        raise TypeError(f"{cls.__name__} orders fields it lacks: {set(order) - named}")
    first = {f: i for i, f in enumerate(order)}
    rank = {f: len(first) + i for i, f in enumerate(kept)}
    later = len(first) + len(rank)
    fields.sort(key=lambda f: first.get(f.python_name, rank.get(f.python_name, later)))


def _auto(model: type[BaseModel], field: str, is_input: bool) -> Any:
    """``strawberry.auto``, or the field's type where it names one of pydantic's own
    (``AwareDatetime``) that strawberry does not know."""
    annotation = model.model_fields[field].annotation
    if not _mentions_pydantic(annotation):
        return strawberry.auto
    return _plain(annotation, "_strawberry_input_type" if is_input else "_strawberry_type")


def _mentions_pydantic(annotation: Any) -> bool:
    return annotation in _PLAIN or any(_mentions_pydantic(a) for a in get_args(annotation))


def _plain(annotation: Any, nested: str) -> Any:
    """``annotation`` with pydantic's datetime types as ``datetime`` and nested models as
    their GraphQL types (``nested``: strawberry's attribute of the model naming its
    object or input type), as ``strawberry.auto`` does for the types it knows."""
    if annotation in _PLAIN:
        return _PLAIN[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return getattr(annotation, nested)
    args = get_args(annotation)
    if not args:
        return annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        return _plain(args[0], nested)
    plain = tuple(_plain(a, nested) for a in args)
    if origin in (Union, types.UnionType):
        return Union[plain]  # noqa: UP007
    return origin[plain if len(plain) > 1 else plain[0]]


def nested_as(model: type[BaseModel], shown: type) -> None:
    """Show a field of type ``model`` (or of a subclass) in every derived object type as
    the hand-written GraphQL type ``shown`` (e.g. every bilingual text as ``LocalizedText``)."""
    model._strawberry_type = shown  # type: ignore[attr-defined]  # strawberry's lookup


def shown_as(cls: type[T], answer: BaseModel) -> T:
    """A service's ``answer`` where the GraphQL type ``cls`` derived from its model is
    expected: strawberry reads the fields from the model instance itself (no copy)."""
    return cast(T, answer)


def showing(cls: type[T]) -> Callable[[BaseModel], T]:
    """:func:`shown_as` ``cls``, as a function of the answer
    (``answered(client.meeting(id), showing(Meeting))``)."""
    return lambda answer: shown_as(cls, answer)


def showing_each(cls: type[T]) -> Callable[[Sequence[BaseModel]], list[T]]:
    """:func:`showing` for a list of answers."""
    return lambda answers: [shown_as(cls, a) for a in answers]
