"""Fail points: deterministic crashes for the fault-tolerance tests.

``BOYIN_FAULTS="after_handle:matching:boyin.registry.organisation.registered,before_publish"``
makes the process exit abruptly (``os._exit``, no cleanup, like ``kill -9``) the first
time it reaches a named point; ``point@N`` the N-th time (in the middle of a batch).
``handle:<group>:<subject>`` instead makes that consumer
group's handler raise :class:`InjectedFault` for every event of that subject (a poison
event, as a bug would make it). Unset in production, where each check costs one lookup.
"""

from __future__ import annotations

import os
import sys

EXIT_CODE = 86
_armed: set[str] = set()


#: how many times a point armed as ``point@N`` is passed before it crashes (N-th time)
_after: dict[str, int] = {}


def arm(spec: str | None) -> None:
    _armed.clear()
    _after.clear()
    for part in (p.strip() for p in (spec or "").split(",")):
        name, _, times = part.partition("@")
        if name:
            _armed.add(name)
            if times:
                _after[name] = int(times)


def hit(point: str, *details: str) -> None:
    """Crash here if ``point`` (or ``point:detail`` for any detail) is armed."""
    if not _armed:
        return
    for name in (point, *(f"{point}:{d}" for d in details)):
        if name in _armed:
            if name in _after:  # armed as point@N: the N-th time, mid-way through a batch
                _after[name] -= 1
                if _after[name] > 0:
                    continue
            sys.stderr.write(f"fail point {name} reached: exiting\n")
            sys.stderr.flush()
            os._exit(EXIT_CODE)


class InjectedFault(RuntimeError):
    """A handler failure a test asked for (a stand-in for a bug, fixed by a restart
    without the fault)."""


def fail(point: str, *details: str) -> None:
    """Raise :class:`InjectedFault` if ``point`` (or ``point:detail``) is armed; every time."""
    if not _armed:
        return
    for name in (point, *(f"{point}:{d}" for d in details)):
        if name in _armed:
            raise InjectedFault(f"fail point {name}")
