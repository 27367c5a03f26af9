"""The two shapes of a change the services hand to a repository's ``change``: a domain
transition that returns its events, or a new state that announces nothing."""

from __future__ import annotations

from typing import TypeVar

from boyin_shared.events import Event

T = TypeVar("T")


async def with_events(result: tuple[T, list[Event]]) -> tuple[T, list[Event]]:
    """A transition's ``(state, events)`` as the repository's ``mutate`` returns it."""
    return result


async def without_events(aggregate: T) -> tuple[T, list[Event]]:
    """A new state with no event."""
    return aggregate, []
