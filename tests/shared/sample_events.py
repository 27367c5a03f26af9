"""An event type used only by the bus tests."""

from __future__ import annotations

from typing import ClassVar

from boyin_shared.events import Event, EventData


class Note(EventData):
    text: str
    n: int


class NoteWritten(Event, source="/boyin/tests", type="boyin.test.note.written", schemaversion=1):
    topic: ClassVar[str] = "boyin.test.notes"
    data: Note


def note(subject: str, n: int, text: str = "") -> NoteWritten:
    return NoteWritten.create(subject=subject, data=Note(text=text or f"note {n}", n=n))
