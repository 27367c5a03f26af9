"""Scheduling's enums (``boyin_shared.api.scheduling``, one definition each) as GraphQL
enums: import them from here, so that they are shown before a type or input uses them.

``Mode`` is shown as ``AttendanceMode``; ``SolveJob`` and ``AgendaItemKind`` are the GraphQL
enums of the values of scheduling's ``JobState`` and ``AgendaItemKind`` (both ``Literal``).
"""

from __future__ import annotations

from enum import Enum
from typing import get_args

import strawberry

from boyin_shared.api.scheduling import AgendaItemKind as AgendaItemKinds
from boyin_shared.api.scheduling import (
    EditionStatus,
    JobState,
    MeetingOutcome,
    MeetingSource,
    MeetingStatus,
    Mode,
    SessionKind,
    SessionStatus,
    SignUpState,
)

__all__ = [
    "AgendaItemKind",
    "EditionStatus",
    "MeetingOutcome",
    "MeetingSource",
    "MeetingStatus",
    "Mode",
    "SessionKind",
    "SessionStatus",
    "SignUpState",
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
strawberry.enum(SignUpState, description="A sign-up's place: confirmed, or on the waiting list.")
strawberry.enum(
    Mode, name="AttendanceMode", description="Taking part at the venue in Chongqing, or online."
)

SolveJob = Enum("SolveJob", [(state, state) for state in get_args(JobState)])  # type: ignore[misc]
strawberry.enum(SolveJob, description="The background computation of a draft timetable.")

AgendaItemKind = Enum(  # type: ignore[misc]
    "AgendaItemKind", [(kind, kind) for kind in get_args(AgendaItemKinds)]
)
strawberry.enum(
    AgendaItemKind,
    description="What an agenda item is: a session, a meeting or a consultation with a mentor.",
)
