"""The ``sessions`` collection: every query and write of agenda sessions, and the
explicit mapping between a session and its stored document."""

from __future__ import annotations

from collections.abc import Sequence

from boyin_scheduling import stored
from boyin_scheduling.sessions.domain import Presenter, Session, SessionPlan, SignUp
from boyin_shared.api.scheduling import SessionKind, SessionStatus, SignUpState
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def session_plan_state(p: SessionPlan) -> stored.Doc:
    return {
        "kind": p.kind.value,
        "title": stored.text(p.title),
        "description": stored.text(p.description),
        "start": stored.dt(p.start),
        "end": stored.dt(p.end),
        "room": p.room,
        "capacity": p.capacity,
        "waitlist_limit": p.waitlist_limit,
        "departure": stored.dt(p.departure),
        "meeting_point": stored.text(p.meeting_point),
        "presenters": [
            {
                "party_id": x.party_id,
                "title": stored.text(x.title),
                "start": stored.dt(x.start),
                "end": stored.dt(x.end),
            }
            for x in p.presenters
        ],
    }


def session_plan_from(d: stored.Doc) -> SessionPlan:
    return SessionPlan(
        kind=SessionKind(d["kind"]),
        title=stored.text_from(d["title"]),
        description=stored.text_from(d.get("description")),
        start=stored.req_dt(d["start"]),
        end=stored.req_dt(d["end"]),
        room=d.get("room"),
        capacity=d.get("capacity"),
        waitlist_limit=d.get("waitlist_limit", 0),
        departure=stored.dt_from(d.get("departure")),
        meeting_point=stored.text_from(d.get("meeting_point")),
        presenters=tuple(
            Presenter(
                x["party_id"],
                stored.text_from(x.get("title")),
                stored.dt_from(x.get("start")),
                stored.dt_from(x.get("end")),
            )
            for x in d["presenters"]
        ),
    )


def session_state(s: Session) -> stored.Doc:
    return {
        "edition_id": s.edition_id,
        "plan": session_plan_state(s.plan),
        "start": stored.dt(s.plan.start),
        "status": s.status.value,
        "sign_ups": [
            {"party_id": x.party_id, "at": stored.dt(x.at), "state": x.state.value}
            for x in s.sign_ups
        ],
        # flat lists to query by (the store filters on list elements)
        "people": list(s.affected()),
        "version": s.version,
        "revision": s.revision,
    }


def session_from(d: Document) -> Session:
    return Session(
        id=d["_id"],
        edition_id=d["edition_id"],
        plan=session_plan_from(d["plan"]),
        status=SessionStatus(d["status"]),
        sign_ups=tuple(
            SignUp(x["party_id"], stored.req_dt(x["at"]), SignUpState(x["state"]))
            for x in d["sign_ups"]
        ),
        version=d["version"],
        revision=d["revision"],
    )


class Sessions(AggregateRepository[Session]):
    collection_name = "sessions"
    indexes = (
        Index((("edition_id", 1), ("start", 1))),
        Index((("people", 1),), over_list=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=session_state, from_doc=session_from)

    async def of_edition(
        self, edition_id: str, statuses: Sequence[str] | None = None
    ) -> list[Session]:
        flt: dict[str, object] = {"edition_id": edition_id}
        if statuses is not None:
            flt["status"] = {"$in": list(statuses)}
        docs = await self.collection.find(flt, sort=[("start", 1), ("_id", 1)])
        return [self.from_doc(d) for d in docs]

    async def of_party(self, edition_id: str, party_id: str) -> list[Session]:
        docs = await self.collection.find(
            {"edition_id": edition_id, "people": party_id}, sort=[("start", 1)]
        )
        return [self.from_doc(d) for d in docs]
