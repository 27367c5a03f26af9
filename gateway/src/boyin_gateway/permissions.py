"""Who may use which field: the gateway's one permission mechanism.

Every role check the gateway makes itself is a strawberry :class:`BasePermission` of this
module, attached to its field with :func:`guard` (or the decorators below), so no service
is called for a refused caller. The services decide the rest (a demand, a meeting, a
profile): the gateway passes their refusals on as ``Forbidden``/``NotFound`` problems.

A refusal is what the field's type can say: a result union answers its ``Forbidden``
problem, a nullable read ``null``, a subscription an error whose message is the
permission's ``message`` ("zh / en"). The few rules that are not about a field (which
callers act for a party their token does not name yet, which district's demands an
officer's feed shows) are the predicates at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.field import StrawberryField

from boyin_gateway.errors import forbidden, staff_only
from boyin_gateway.types import Forbidden
from boyin_shared.errors import Message
from boyin_shared.identity import Actor, Role

_Decorator = Callable[[Callable[..., Any]], StrawberryField]


class Allowed(BasePermission):
    """A role check. ``refusal`` is what a refused caller gets instead of the field's
    answer; without one the refusal is raised as an error with :attr:`message`."""

    #: the roles allowed (staff: see :class:`Staff`)
    roles: ClassVar[frozenset[Role]] = frozenset()

    def __init__(self, refusal: Callable[[], object] | None = None) -> None:
        self.refusal = refusal

    def allows(self, actor: Actor) -> bool:
        return actor.role in self.roles

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        actor: Actor = info.context.actor
        return self.allows(actor)

    def on_unauthorized(self) -> Any:
        if self.refusal is not None:
            return self.refusal()
        super().on_unauthorized()  # raises
        return None


class Staff(Allowed):
    """Operators and administrators (:attr:`Actor.is_staff`)."""

    message = "仅限工作人员 / Staff only"

    def allows(self, actor: Actor) -> bool:
        return actor.is_staff


class InvestorsAndStaff(Allowed):
    roles = frozenset({Role.INVESTOR})
    message = "仅限投资机构和工作人员 / Investors and staff only"

    def allows(self, actor: Actor) -> bool:
        return actor.is_staff or super().allows(actor)


class DistrictOfficers(Allowed):
    """District officers (of their district, see :func:`sees_district`) and staff."""

    roles = frozenset({Role.DISTRICT_OFFICER})
    message = "仅限区县工作人员 / District officers only"

    def allows(self, actor: Actor) -> bool:
        return actor.is_staff or super().allows(actor)


class InvestorsAndDistrictOfficers(Allowed):
    """Investors, district officers (of their district, see :func:`sees_district`) and
    staff."""

    roles = frozenset({Role.INVESTOR, Role.DISTRICT_OFFICER})
    message = "仅限投资机构、区县工作人员和工作人员 / Investors, district officers and staff only"

    def allows(self, actor: Actor) -> bool:
        return actor.is_staff or super().allows(actor)


class Participants(Allowed):
    roles = frozenset({Role.TALENT, Role.ORGANISATION})
    message = "仅限已登记的人才和单位 / Registered talents and organisations only"

    def allows(self, actor: Actor) -> bool:
        return actor.is_staff or super().allows(actor)


class OwnParties(Allowed):
    """Talents and organisations themselves: staff act for no party of their own."""

    roles = frozenset({Role.TALENT, Role.ORGANISATION})
    message = "仅限已登记的人才和单位本人 / Talents and organisations themselves only"


class Talents(Allowed):
    """A talent, for their own personal data."""

    roles = frozenset({Role.TALENT})
    message = "只有人才本人可以导出或删除自己的个人信息 / only a talent may export or erase their own personal data"


class SignedIn(Allowed):
    """Anyone the gateway authenticated (not a visitor)."""

    message = "需要登录 / Sign in first"

    def allows(self, actor: Actor) -> bool:
        return not is_visitor(actor)


def guard(permission: Allowed) -> list[FieldExtension]:
    """The extensions that make a field check ``permission`` before it resolves (no
    schema directive: the SDL does not change)."""
    return [PermissionExtension(permissions=[permission], use_directives=False)]


def nothing() -> None:
    """The refusal of a nullable read: ``null``."""
    return None


def not_a_talent() -> Forbidden:
    return forbidden(
        Message(
            "只有人才本人可以导出或删除自己的个人信息",
            "only a talent may export or erase their own personal data",
        )
    )


def staff_mutation(description: str) -> _Decorator:
    """A mutation for operators and administrators only; others get ``Forbidden``."""
    return cast(
        _Decorator,
        strawberry.mutation(description=description, extensions=guard(Staff(staff_only))),
    )


def staff_field(description: str, *, refusal: Callable[[], object] = staff_only) -> _Decorator:
    """A query field for operators and administrators only; others get ``refusal()``."""
    return cast(
        _Decorator, strawberry.field(description=description, extensions=guard(Staff(refusal)))
    )


def guarded_field(permission: Allowed, description: str | None = None) -> _Decorator:
    """A query field only for those ``permission`` allows."""
    return cast(_Decorator, strawberry.field(description=description, extensions=guard(permission)))


def guarded_mutation(permission: Allowed, description: str) -> _Decorator:
    """A mutation only for those ``permission`` allows."""
    return cast(
        _Decorator, strawberry.mutation(description=description, extensions=guard(permission))
    )


# -- rules that are not about one field ---------------------------------------------------


def is_visitor(actor: Actor) -> bool:
    """Nobody the gateway authenticated."""
    return actor.role is Role.PUBLIC


def acts_for_no_party_yet(actor: Actor) -> bool:
    """A talent or organisation whose token names no party: issued before it registered
    (its account may be bound to one by now), or it has not registered."""
    return actor.role in (Role.TALENT, Role.ORGANISATION) and actor.party_id is None


def sees_district(actor: Actor, district_code: str | None) -> bool:
    """Whether a live feed shows ``actor`` a demand (or an agreement) of
    ``district_code``: a district officer sees their own district's, everyone else every
    district's."""
    return actor.role is not Role.DISTRICT_OFFICER or district_code == actor.district_code
