"""Scheduling's enums (``boyin_shared.api.scheduling``, one definition each) as GraphQL
enums: import them from here, so that they are shown before a type or input uses them.

``Mode`` is shown as ``AttendanceMode``; ``SolveJob`` is the GraphQL enum of the values of
scheduling's ``JobState`` (a ``Literal``).
"""

from __future__ import annotations

from enum import Enum
from typing import get_args

import strawberry

from boyin_shared.api.scheduling import (
    EditionStatus,
    JobState,
    MeetingOutcome,
    MeetingSource,
    MeetingStatus,
    Mode,
    SessionKind,
    SessionStatus,
)

__all__ = [
    "EditionStatus",
    "MeetingOutcome",
    "MeetingSource",
    "MeetingStatus",
    "Mode",
    "SessionKind",
    "SessionStatus",
    "SolveJob",
]

for _shown in (
    EditionStatus,
    SessionKind,
    SessionStatus,
    MeetingStatus,
    MeetingSource,
    MeetingOutcome,
):
    strawberry.enum(_shown)
strawberry.enum(
    Mode, name="AttendanceMode", description="Taking part at the venue in Chongqing, or online."
)

SolveJob = Enum("SolveJob", [(state, state) for state in get_args(JobState)])  # type: ignore[misc]
strawberry.enum(SolveJob, description="The background computation of a draft timetable.")
