"""Validation whose cost is bounded before it starts, and kept off the event loop.

graphql-core's validation is not linear in the document: checking that fields of one
selection set can be merged compares every pair of fields with the same response name
(about 0.4 s for 300 repetitions of ``me { id }``, 1 s for 300 of a paged field on this
machine), and each unknown field costs a "did you mean" search of its type. A document of
2,000 tokens could so hold the one event loop for seconds, and moving one field defeats the
validation cache. Before validating, :class:`BoundedValidation` therefore measures the
parsed document, fragments expanded at each spread (the walk stops at the field limit, so
fragments that spread each other cannot multiply the work):

- ``max_fields``: selected fields in all;
- ``max_merges``: the work of the merge check, the sum over response paths of the square of
  the number of fields at that path, pairs of leaves weighing 1/32 (about 10 µs a unit
  here; the documented queries of docs/api.md stay under 20, 300 repetitions of
  ``me { id }`` reach 92,812).

A document over either bound is refused with ``QUERY_TOO_COMPLEX`` without being validated.
Below them, validation results are cached by document (as strawberry's ``ValidationCache``
does), and a document with more than ``INLINE_FIELDS`` fields is validated in a worker
thread, at most ``WORKERS`` at a time, so the event loop goes on serving others meanwhile.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

#: documents with at most this many fields are validated on the event loop (sub-millisecond)
INLINE_FIELDS = 40
#: validations running at once in worker threads
WORKERS = 2
#: how many pairs of leaf fields cost what one pair of fields with selections does
LEAF = 32

_validate = lru_cache(maxsize=256)(validate_document)
_threads = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="graphql-validation")


class _Over(Exception):
    """The walk went past the field limit: no need to count the rest."""


@dataclass
class Measure:
    """What a document selects, fragments expanded: ``fields`` in all, and ``merges``, the
    work of the merge check: fields with one response path (the same response names from
    the root, as the check merges them) are compared pairwise, so a path reached by ``k``
    fields adds ``k * k``. The walk stops once ``fields`` passes ``limit``."""

    limit: int
    fields: int = 0
    paths: Counter[tuple[str, ...]] = field(default_factory=Counter)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    spread: set[str] = field(default_factory=set)

    composite: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def merges(self) -> int:
        """Pairs of fields with a selection set cost a comparison of their selections (about
        10 µs each here); pairs of leaves a comparison of names and arguments (about 30
        times less)."""
        return sum(k * k if p in self.composite else k * k // LEAF for p, k in self.paths.items())

    @classmethod
    def of(cls, document: DocumentNode, limit: int) -> Measure:
        measure = cls(limit)
        measure.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        try:
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    name = definition.name.value if definition.name else ""
                    measure._walk(definition.selection_set, (name,), ())
            for name, definition in measure.fragments.items():  # unused: validated all the same
                if name not in measure.spread:
                    measure._walk(definition.selection_set, ("..." + name,), (name,))
        except _Over:
            pass
        return measure

    def _walk(
        self, selection_set: SelectionSetNode | None, path: tuple[str, ...], seen: tuple[str, ...]
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.fields += 1
                if self.fields > self.limit:
                    raise _Over
                below = (*path, (selection.alias or selection.name).value)
                self.paths[below] += 1
                if selection.selection_set is not None:
                    self.composite.add(below)
                self._walk(selection.selection_set, below, seen)
            elif isinstance(selection, InlineFragmentNode):
                self._walk(selection.selection_set, path, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                self.spread.add(name)
                definition = self.fragments.get(name)
                if definition is not None and name not in seen:  # else validation says why
                    self._walk(definition.selection_set, path, (*seen, name))


@dataclass(frozen=True)
class CostLimits:
    max_fields: int
    max_merges: int

    def refusal(self, document: DocumentNode) -> tuple[GraphQLError | None, Measure]:
        measure = Measure.of(document, self.max_fields)
        if measure.fields > self.max_fields:
            message = f"Document selects more than {self.max_fields} fields"
            return GraphQLError(message), measure
        if measure.merges > self.max_merges:
            return GraphQLError(
                f"Document repeats fields too often: merge cost {measure.merges}."
                f" Allowed: {self.max_merges}"
            ), measure
        return None, measure


class BoundedValidation(SchemaExtension):
    """Replaces strawberry's ``ValidationCache``: see the module's documentation."""

    def __init__(self, limits: CostLimits) -> None:
        super().__init__()
        self.limits = limits

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            refusal, measure = self.limits.refusal(document)
            if refusal is not None:
                context.pre_execution_errors = [refusal]
            else:
                arguments = (context.schema._schema, document, context.validation_rules)
                if measure.fields <= INLINE_FIELDS:
                    errors = _validate(*arguments)
                else:
                    loop = asyncio.get_running_loop()
                    errors = await loop.run_in_executor(_threads, _validate, *arguments)
                context.pre_execution_errors = errors
        yield


def bounded_validation(limits: CostLimits) -> Callable[[], Any]:
    return lambda: BoundedValidation(limits)
