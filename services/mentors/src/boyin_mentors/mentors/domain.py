"""A mentor: APPLIED (by themselves) or INVITED (by an operator) → APPROVED ⇄ SUSPENDED,
and RETIRED from any of them (final). Operators approve, suspend and retire; the mentor
(or an operator) changes the profile, and every change of it is kept as a version.

Plain Python: the transitions take the actor and the time and return the changed mentor
with the events the change publishes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from boyin_mentors.mentors.profile import (
    KnownCodes,
    Profile,
    ProfileDraft,
    checked_profile,
    error,
)
from boyin_shared.api.mentors import MentorStatus
from boyin_shared.contracts.mentors import (
    MentorApproved,
    MentorProfileChanged,
    MentorRegistered,
    MentorRetired,
    MentorSnapshot,
    MentorSuspended,
)
from boyin_shared.errors import BoyinError, Message, forbidden, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role

S = MentorStatus
STATUS_ZH = {
    S.APPLIED: "已申请",
    S.INVITED: "已邀请",
    S.APPROVED: "已批准",
    S.SUSPENDED: "已暂停",
    S.RETIRED: "已退出",
}
#: where each decision may be taken from
APPROVABLE = (S.APPLIED, S.INVITED, S.SUSPENDED)
SUSPENDABLE = (S.APPROVED,)
RETIRABLE = (S.APPLIED, S.INVITED, S.APPROVED, S.SUSPENDED)


@dataclass(frozen=True)
class Transition:
    from_status: MentorStatus | None
    to_status: MentorStatus
    by: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime
    by: str
    profile: Profile


@dataclass(frozen=True)
class Mentor:
    id: str
    account_id: str
    status: MentorStatus
    versions: tuple[Version, ...]
    history: tuple[Transition, ...]
    revision: int = 1

    @property
    def profile(self) -> Profile:
        return self.versions[-1].profile

    @property
    def version(self) -> int:
        return self.versions[-1].number

    def visible_to(self, actor: Actor) -> bool:
        return actor.is_staff or actor.account_id == self.account_id

    def snapshot(self) -> MentorSnapshot:
        p = self.profile
        return MentorSnapshot(
            mentor_id=self.id,
            account_id=self.account_id,
            status=self.status.value,
            expertise_codes=p.expertise_codes,
            languages=p.languages,
            country=p.country,
            timezone=p.timezone,
            version=self.version,
            revision=self.revision,
        )

    # -- decisions --------------------------------------------------------------------

    def approve(self, actor: Actor, now: datetime) -> tuple[Mentor, list[Event]]:
        changed = self._moved(actor, S.APPROVED, APPROVABLE, now, None)
        return changed, [
            MentorApproved.create(
                subject=self.id, sequence=changed.revision, data=changed.snapshot()
            )
        ]

    def suspend(
        self, actor: Actor, now: datetime, reason: str | None
    ) -> tuple[Mentor, list[Event]]:
        changed = self._moved(actor, S.SUSPENDED, SUSPENDABLE, now, _reason(reason))
        return changed, [
            MentorSuspended.create(
                subject=self.id, sequence=changed.revision, data=changed.snapshot()
            )
        ]

    def retire(self, actor: Actor, now: datetime, reason: str | None) -> tuple[Mentor, list[Event]]:
        changed = self._moved(actor, S.RETIRED, RETIRABLE, now, _reason(reason))
        return changed, [
            MentorRetired.create(
                subject=self.id, sequence=changed.revision, data=changed.snapshot()
            )
        ]

    def _moved(
        self,
        actor: Actor,
        to: MentorStatus,
        allowed: tuple[MentorStatus, ...],
        now: datetime,
        reason: str | None,
    ) -> Mentor:
        require_staff(actor)
        if self.status not in allowed:
            raise BoyinError(
                code="WRONG_STATUS",
                message=Message(
                    f"导师{STATUS_ZH[self.status]}，不能改为“{STATUS_ZH[to]}”",
                    f"the mentor is {self.status.value}: not to {to.value} from there",
                ),
                fields=[
                    error(
                        "status",
                        "WRONG_STATUS",
                        f"当前状态：{STATUS_ZH[self.status]}",
                        f"now {self.status.value}",
                    )
                ],
                status=409,
            )
        step = Transition(self.status, to, actor.account_id, now, reason)
        return dataclasses.replace(
            self, status=to, history=(*self.history, step), revision=self.revision + 1
        )

    # -- the profile ------------------------------------------------------------------

    def update_profile(
        self, actor: Actor, draft: ProfileDraft, known: KnownCodes, now: datetime
    ) -> tuple[Mentor, list[Event]]:
        """A new version of the profile (the same profile again changes nothing)."""
        if not (actor.is_staff or actor.account_id == self.account_id):
            raise forbidden(Message("只能修改自己的导师资料", "only your own mentor profile"))
        if self.status is S.RETIRED:
            raise BoyinError(
                code="MENTOR_RETIRED",
                message=Message(
                    "导师已退出，资料不能再修改", "a retired mentor's profile is final"
                ),
                fields=[error("status", "RETIRED", "导师已退出", "retired")],
                status=409,
            )
        profile = _checked(draft, known)
        if profile == self.profile:
            return self, []
        version = Version(self.version + 1, now, actor.account_id, profile)
        changed = dataclasses.replace(
            self, versions=(*self.versions, version), revision=self.revision + 1
        )
        return changed, [
            MentorProfileChanged.create(
                subject=self.id, sequence=changed.revision, data=changed.snapshot()
            )
        ]


def mentor_id_of(account_id: str) -> str:
    """One mentor per account: applying twice finds the first."""
    return f"men_{account_id}"


def register(
    actor: Actor,
    account_id: str,
    draft: ProfileDraft,
    known: KnownCodes,
    now: datetime,
) -> tuple[Mentor, list[Event]]:
    """A mentor applies for themselves (a MENTOR account), or an operator invites one."""
    if actor.is_staff:
        status = S.INVITED
    elif actor.role is Role.MENTOR and actor.account_id == account_id:
        status = S.APPLIED
    else:
        raise forbidden(
            Message("只有导师账号本人可以申请，或由工作人员邀请", "apply with a mentor account")
        )
    profile = _checked(draft, known)
    mentor = Mentor(
        id=mentor_id_of(account_id),
        account_id=account_id,
        status=status,
        versions=(Version(1, now, actor.account_id, profile),),
        history=(Transition(None, status, actor.account_id, now),),
    )
    return mentor, [
        MentorRegistered.create(subject=mentor.id, sequence=mentor.revision, data=mentor.snapshot())
    ]


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise forbidden(Message("只有工作人员可以做这个决定", "only operators decide this"))


def _checked(draft: ProfileDraft, known: KnownCodes) -> Profile:
    checked = checked_profile(draft, known)
    if isinstance(checked, list):
        raise invalid(checked)
    return checked


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise invalid([error("reason", "REQUIRED", "请说明原因", "say why")])
    return text
