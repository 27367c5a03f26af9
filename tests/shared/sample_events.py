"""An event type used only by the bus tests."""

from __future__ import annotations

from typing import ClassVar, Literal

from boyin_shared.events import Event, EventData


class Note(EventData):
    text: str
    n: int


class NoteWritten(Event):
    topic: ClassVar[str] = "boyin.test.notes"
    type: Literal["boyin.test.note.written"] = "boyin.test.note.written"
    source: Literal["/boyin/tests"] = "/boyin/tests"
    schemaversion: Literal[1] = 1
    data: Note


def note(subject: str, n: int, text: str = "") -> NoteWritten:
    return NoteWritten.create(subject=subject, data=Note(text=text or f"note {n}", n=n))
