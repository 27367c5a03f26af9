"""Events of the mentors service on topic ``boyin.mentors.events``.

Defined ahead of the service (contract first) so that matching can take mentors'
screening into account from the day mentors start publishing it.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from boyin_shared.events import Event, EventData

TOPIC = "boyin.mentors.events"


class Screening(EventData):
    """One mentor's assessment of one published demand (a project, usually). A mentor who
    screens the same demand again replaces their earlier score."""

    screening_id: str
    demand_id: str
    mentor_id: str
    #: 0–100; 60 is "sound, nothing stands out"
    score: int = Field(ge=0, le=100)
    recommendation: Literal["RECOMMEND", "NEUTRAL", "NOT_RECOMMEND"]


class _MentorsEvent(Event, source="/boyin/mentors"):
    topic: ClassVar[str] = TOPIC


class ProjectScreened(_MentorsEvent, type="boyin.mentors.project.screened", schemaversion=1):
    data: Screening
