"""Privacy over HTTP: the notice people agree to when they register, and the log of who
was shown a party's personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, PlainSerializer, WithJsonSchema

#: a moment as the audit log has always written it in JSON: ``datetime.isoformat``
#: (``+00:00``, where pydantic would write ``Z``)
Logged = Annotated[
    datetime,
    PlainSerializer(datetime.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class NoticeOut(BaseModel):
    version: str
    text: dict[str, str]
    purposes: dict[str, dict[str, str]]


class AuditEntryOut(BaseModel):
    """One disclosure of a party's personal data to someone but the party itself: its
    contact details shown (to staff, its district officer, a matched counterpart) or its
    data exported (``GET /parties/{id}/audit`` answers a list of them)."""

    account_id: str
    role: str
    #: e.g. read_contacts, export_personal_data
    action: str
    #: the party whose data was read
    subject: str
    at: Logged
