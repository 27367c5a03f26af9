"""The HTTP clients of the services: how a service's answer becomes a result or an error
(what the fakes in ``fakes.py`` imitate), the identity and trace they send, the paths
they build. No service runs: httpx answers through a mock transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from boyin_gateway.clients import (
    MatchingClient,
    RegistryClient,
    SchedulingClient,
    ServiceError,
    ServiceUnavailable,
)
from boyin_gateway.clients.base import seg
from boyin_gateway.errors import problem
from boyin_gateway.types import Conflict, Forbidden, InvalidInput, NotFound
from boyin_shared import identity
from boyin_shared.api.scheduling import AnswerIn, LinkIn, SignUpIn
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.gateway.fake_records import demand
from tests.gateway.fake_records import meeting as fake_meeting
from tests.gateway.fake_records import session as fake_session
from tests.gateway.fakes import FakePlatform

ACTOR = Actor("acc_1", Role.ORGANISATION, party_id="org_1")
Answer = Callable[[httpx.Request], httpx.Response]


def error(status: int, code: str) -> httpx.Response:
    body = {"error": {"code": code, "message": {"zh": "错误", "en": "error"}, "fields": []}}
    return httpx.Response(status, json=body)


def pool(answer: Answer, seen: list[httpx.Request] | None = None) -> httpx.AsyncClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return answer(request)

    return httpx.AsyncClient(base_url="http://registry", transport=httpx.MockTransport(handle))


async def answered(answer: Answer, call: Callable[[RegistryClient], Any]) -> Any:
    async with pool(answer) as http:
        return await call(RegistryClient(http, SECRET, ACTOR))


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (404, "NOT_FOUND", NotFound),
        (403, "FORBIDDEN", Forbidden),
        (401, "UNAUTHENTICATED", Forbidden),
        (409, "ILLEGAL_TRANSITION", Conflict),
        (422, "VALIDATION_FAILED", InvalidInput),
    ],
)
async def test_an_error_in_the_platform_shape_is_a_service_error_and_its_problem(
    status: int, code: str, kind: type[Any]
) -> None:
    with pytest.raises(ServiceError) as caught:
        await answered(lambda r: error(status, code), lambda c: c.demand_action("d1", "publish"))
    assert (caught.value.status, caught.value.error.code) == (status, code)
    found = problem(caught.value)
    assert isinstance(found, kind) and found.code == code


async def test_a_lookup_of_what_is_not_found_is_none() -> None:
    assert await answered(lambda r: error(404, "NOT_FOUND"), lambda c: c.demand("d1")) is None
    assert await answered(lambda r: error(404, "NOT_FOUND"), lambda c: c.talent("t1")) is None
    # the fake answers the same
    fake = FakePlatform().registry(ACTOR)
    assert await fake.demand("d1") is None and await fake.talent("t1") is None


@pytest.mark.parametrize(
    "answer",
    [
        lambda r: httpx.Response(500, json={"error": {"code": "BOOM"}}),
        lambda r: httpx.Response(503, text="upstream down"),
        lambda r: httpx.Response(400, text="<html>proxy</html>"),
    ],
    ids=["5xx", "5xx without a body", "4xx not in the platform's shape"],
)
async def test_faults_are_unavailable_not_the_callers_mistake(answer: Answer) -> None:
    with pytest.raises(ServiceUnavailable):
        await answered(answer, lambda c: c.demand_action("d1", "publish"))


async def test_no_such_route_is_not_found_and_no_answer_is_unavailable() -> None:
    with pytest.raises(ServiceError) as caught:
        await answered(lambda r: httpx.Response(404, text="Not Found"), lambda c: c.taxonomy())
    assert (caught.value.status, caught.value.error.code) == (404, "NOT_FOUND")

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ServiceUnavailable):
        await answered(unreachable, lambda c: c.taxonomy())


async def test_calls_carry_the_signed_caller_and_ids_stay_one_path_segment() -> None:
    seen: list[httpx.Request] = []
    body = demand("d1/publish?", "org_1").model_dump(mode="json")
    async with pool(lambda r: httpx.Response(200, json=body), seen) as http:
        client = RegistryClient(http, SECRET, ACTOR)
        found = await client.demand("d1/publish?")
        assert found is not None and found.id == "d1/publish?"
        await client.add_taxonomy_code({"code": "X"})  # an empty answer is fine too
    assert client.calls == 2
    assert seen[0].url.raw_path == b"/demands/d1%2Fpublish%3F"
    assert identity.verify(seen[0].headers[identity.HEADER], SECRET) == ACTOR


async def test_each_client_reads_its_services_answers() -> None:
    match = {
        "match_id": "m1",
        "demand_id": "d1",
        "counterpart_demand_id": "d2",
        "counterpart_kind": "talent",
        "counterpart_party_id": "t1",
        "score": 0.5,
        "good_match": False,
        "status": "PROPOSED",
        "my_response": None,
        "source": "auto",
        "explanation": None,
    }
    seen: list[httpx.Request] = []
    async with pool(lambda r: httpx.Response(200, json=[match]), seen) as http:
        matches = await MatchingClient(http, SECRET, ACTOR).matches("d1", 5)
        assert [m.match_id for m in matches] == ["m1"]
        assert not matches[0].good_match
    job = {"state": "running", "total": 10, "done": 3, "error": None}
    async with pool(lambda r: httpx.Response(200, json=job), seen) as http:
        client = MatchingClient(http, SECRET, ACTOR)
        assert (await client.start_rematch()).done == 3
        assert (await client.rematch_job()).total == 10
    weak = {"demand_id": "d3", "channel": "JOB_SEEKING", "owner_id": "t1", "best_score": None}
    async with pool(lambda r: httpx.Response(200, json=[weak]), seen) as http:
        found = await MatchingClient(http, SECRET, ACTOR).demands_without_good_match()
        assert [d.demand_id for d in found] == ["d3"]
    async with pool(lambda r: httpx.Response(200, json=[]), seen) as http:
        assert await SchedulingClient(http, SECRET, ACTOR).sign_ups("s1") == []
    assert [(r.method, r.url.path, r.url.params.get("limit")) for r in seen] == [
        ("GET", "/demands/d1/matches", "5"),
        ("POST", "/rematch", None),
        ("GET", "/rematch", None),
        ("GET", "/review-queue/no-good-match", None),
        ("GET", "/sessions/s1/sign-ups", None),
    ]


async def test_the_scheduling_client_sends_the_request_models_fields_given() -> None:
    """A body built from a request model (unvalidated: the service validates it) is the
    JSON of the fields given, no more; the answer is read into the service's model."""
    meeting = fake_meeting("m1", "e1", ("tal_1", "talent"), ("org_1", "organisation"))
    session = fake_session("s1", "e1")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        found = meeting if request.url.path.startswith("/meetings") else session
        return httpx.Response(200, json=found.model_dump(mode="json"))

    async with pool(answer, seen) as http:
        client = SchedulingClient(http, SECRET, ACTOR)
        answered = await client.meeting_action(
            "m1", "answer", AnswerIn.model_construct(accept=False, reason=None)
        )
        await client.meeting_action(
            "m1", "video-link", LinkIn.model_construct(video_link=None), method="PUT"
        )
        await client.session_action("s1", "sign-up", SignUpIn.model_construct())
        await client.session_action("s1", "withdraw", SignUpIn.model_construct(party_id="tal_1"))
        await client.session_action("s1", "cancel")
    assert answered == meeting
    assert [(r.method, r.url.path, json.loads(r.content)) for r in seen] == [
        ("POST", "/meetings/m1/answer", {"accept": False, "reason": None}),
        ("PUT", "/meetings/m1/video-link", {"video_link": None}),
        ("POST", "/sessions/s1/sign-up", {}),
        ("POST", "/sessions/s1/withdraw", {"party_id": "tal_1"}),
        ("POST", "/sessions/s1/cancel", {}),
    ]


def test_an_id_is_one_path_segment_that_names_nothing_else() -> None:
    assert seg("dem_1") == "dem_1"
    assert seg("d1/publish?x") == "d1%2Fpublish%3Fx"
    assert seg("..") == "%2E%2E" and seg("C33.N01") == "C33%2EN01"
    with pytest.raises(ServiceError) as empty:
        seg("")
    assert empty.value.status == 404
