"""Who may screen a demand, and who is chosen (pure).

A mentor qualifies when they are approved, speak the demand's language, have room under
their maximum of open reviews, have no conflict with it (declared or detectable), and
their expertise fits: a taxonomy code of theirs is one of the demand's, or an ancestor or
descendant of one (the tree as learned from the registry), or else matching's relevance
of their expertise to the demand is at least :data:`FIT_RELEVANCE`. The qualified are
ranked by relevance (matching's encoder and scorer, through its API), discounted by how
loaded they are, so open reviews spread over the mentors who fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boyin_mentors.mentors.profile import Profile, Text
from boyin_shared.api.mentors import MentorStatus
from boyin_shared.errors import FieldError, Message

#: mentors assigned to every demand
REVIEWERS = 2
#: relevance at which expertise fits without a shared code
FIT_RELEVANCE = 0.6
#: relevance assumed when matching could not be asked (codes decide alone)
UNRANKED = 0.5
#: how much a full load discounts a mentor's rank (0: none, 1: to nothing)
LOAD_WEIGHT = 0.5


@dataclass(frozen=True)
class DemandBrief:
    """What screening knows of a demand: its content and who is behind it (the owner and
    co-applicants are for conflict checks and never shown to mentors)."""

    demand_id: str
    title: Text
    description: Text
    language: str
    taxonomy_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    owner_kind: str
    owner_id: str
    co_applicants: tuple[str, ...] = ()

    def text(self) -> str:
        parts = (self.title.zh, self.title.en, self.description.zh, self.description.en)
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Candidate:
    mentor_id: str
    account_id: str
    status: MentorStatus
    profile: Profile
    open_reviews: int

    def text(self) -> str:
        e = self.profile.expertise
        return "\n".join(p for p in (e.zh, e.en) if p)


@dataclass(frozen=True)
class Pick:
    mentor_id: str
    relevance: float | None


def _refusal(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def conflict_of(c: Candidate, demand: DemandBrief, field: str = "mentor_id") -> FieldError | None:
    """The mentor's conflict with the demand, declared or detectable, or None."""
    p = c.profile
    parties = {demand.owner_id, *demand.co_applicants}
    if p.organisation_id and p.organisation_id in parties:
        return _refusal(
            field,
            "SAME_ORGANISATION",
            "导师与申报方同属一个机构",
            "the mentor's organisation applies",
        )
    if c.account_id in parties or c.mentor_id in parties:
        return _refusal(field, "CO_APPLICANT", "导师是共同申报人", "the mentor is a co-applicant")
    if parties & {*p.conflicts.organisations, *p.conflicts.people}:
        return _refusal(
            field,
            "DECLARED_CONFLICT",
            "导师申报了与申报方的利益冲突",
            "the mentor declared a conflict",
        )
    words = " ".join((demand.text(), *demand.keywords)).casefold()
    if any(i.casefold() in words for i in p.conflicts.interests):
        return _refusal(
            field,
            "COMPETING_INTEREST",
            "导师申报了竞争性利益",
            "the mentor declared a competing interest",
        )
    return None


def _chain(code: str, parents: Mapping[str, str | None]) -> list[str]:
    out: list[str] = []
    node: str | None = code
    while node is not None and node not in out:
        out.append(node)
        node = parents.get(node)
    return out


def codes_fit(
    mine: Sequence[str], theirs: Sequence[str], parents: Mapping[str, str | None]
) -> bool:
    """A code of ``mine`` is one of ``theirs`` or on its line in the tree (not merely under
    the same root, which is a whole cluster system)."""
    for a in mine:
        for b in theirs:
            if a in _chain(b, parents)[:-1] or b in _chain(a, parents)[:-1] or a == b:
                return True
    return False


def unsuitable(
    c: Candidate,
    demand: DemandBrief,
    parents: Mapping[str, str | None],
    relevance: float | None,
    *,
    check_fit: bool = True,
    field: str = "mentor_id",
) -> FieldError | None:
    """Why ``c`` may not screen ``demand`` (None: they may). Operators reassigning by hand
    skip the expertise check (``check_fit``), never the others."""
    if c.status is not MentorStatus.APPROVED:
        return _refusal(
            field, "MENTOR_NOT_APPROVED", "导师未获批准或已暂停", f"the mentor is {c.status.value}"
        )
    if conflict := conflict_of(c, demand, field):
        return conflict
    # a bilingual demand (``zh+en``) is read by a mentor of either language
    if not any(lang in c.profile.languages for lang in demand.language.split("+")):
        return _refusal(
            field,
            "LANGUAGE",
            f"导师不使用项目的语言（{demand.language}）",
            f"the mentor does not speak {demand.language}",
        )
    if c.open_reviews >= c.profile.max_open_reviews:
        return _refusal(
            field,
            "OVER_LOAD",
            f"导师已有 {c.open_reviews} 项待评审，达到上限",
            f"the mentor has {c.open_reviews} open reviews, their maximum",
        )
    fits = codes_fit(c.profile.expertise_codes, demand.taxonomy_codes, parents) or (
        relevance is not None and relevance >= FIT_RELEVANCE
    )
    if check_fit and not fits:
        return _refusal(
            field, "EXPERTISE", "导师专长与项目不符", "the mentor's expertise does not fit"
        )
    return None


def rank(c: Candidate, relevance: float | None) -> float:
    load = c.open_reviews / c.profile.max_open_reviews
    return (UNRANKED if relevance is None else relevance) * (1 - LOAD_WEIGHT * load)


def route(
    demand: DemandBrief,
    candidates: Sequence[Candidate],
    relevance: Mapping[str, float] | None,
    parents: Mapping[str, str | None],
    *,
    need: int = REVIEWERS,
    exclude: Sequence[str] = (),
) -> tuple[list[Pick], int]:
    """The ``need`` best qualified mentors (fewer when fewer qualify), and how many
    qualified. ``relevance``: matching's score of each mentor (None: not available)."""
    scored = [
        (c, relevance.get(c.mentor_id) if relevance is not None else None) for c in candidates
    ]
    qualified = [
        (c, r)
        for c, r in scored
        if c.mentor_id not in exclude and unsuitable(c, demand, parents, r) is None
    ]
    qualified.sort(key=lambda cr: (-rank(*cr), cr[0].mentor_id))
    return [Pick(c.mentor_id, r) for c, r in qualified[:need]], len(qualified)
