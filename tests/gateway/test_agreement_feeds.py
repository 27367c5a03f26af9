"""The agreements feed (``agreementNews``) over graphql-transport-ws, on the gateway's
feeds as the bus delivers the agreements service's events (``Gateway.publish``): an
investor's filter by district, cluster and cooperation type; a district officer only ever
receives their district's, whatever they ask for; a signing and a landing are reported
once each; others are refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import boyin_shared.contracts  # noqa: F401  (every contract in the catalogue)
from boyin_shared.contracts.agreements import AgreementOrigin, Amount
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from tests.agreements.funnel_support import T0, WANZHOU, YUZHONG, pipeline
from tests.gateway.harness import Gateway
from tests.graphql_ws import subscribe

NEWS = """
subscription($filter: AgreementNewsFilter) {
  agreementNews(filter: $filter) {
    agreementId change stage fromStage title { en } cooperationType districtCode
    editionId taxonomyCodes headline { amount currency } at
  }
}"""
MANUAL = AgreementOrigin(kind="MANUAL", match_id=None, meeting_id=None)
INVESTOR = Actor("acc_vc", Role.INVESTOR)
OFFICER = Actor("acc_yz", Role.DISTRICT_OFFICER, district_code=YUZHONG)


def agreement(
    agreement_id: str,
    district: str,
    stages: tuple[str, ...] = ("INTENTION",),
    **terms: Any,
) -> list[Event]:
    return pipeline(
        agreement_id,
        list(stages),
        T0 if "SIGNED" in stages else None,
        origin=MANUAL,
        district=district,
        value=Amount(amount=Decimal("2000000"), currency="CNY"),
        **terms,
    )


async def test_an_investor_receives_the_agreements_of_their_filter(gateway: Gateway) -> None:
    wanted = {
        "districtCodes": [YUZHONG],
        "clusters": ["C33-L1"],
        "cooperationTypes": ["EQUITY_INVESTMENT"],
    }
    async with subscribe(gateway.url, NEWS, gateway.token(INVESTOR), filter=wanted) as feed:
        await gateway.listening(1)
        equity: dict[str, Any] = {
            "cooperation_type": "EQUITY_INVESTMENT",
            "taxonomy_codes": ("C33-L1",),
        }
        await gateway.publish(
            *agreement("ag_elsewhere", WANZHOU, **equity),
            *agreement("ag_other_cluster", YUZHONG, cooperation_type="EQUITY_INVESTMENT"),
            *agreement("ag_licence", YUZHONG, taxonomy_codes=("C33-L1",)),
            *agreement("ag_wanted", YUZHONG, **equity),
        )
        item = (await feed.next())["agreementNews"]
    assert item["agreementId"] == "ag_wanted"
    assert (item["change"], item["stage"], item["fromStage"]) == ("CREATED", "INTENTION", None)
    assert item["cooperationType"] == "EQUITY_INVESTMENT"
    assert item["taxonomyCodes"] == ["C33-L1"]
    assert item["headline"] == {"amount": "2000000", "currency": "CNY"}


async def test_a_district_officer_receives_their_district_only(gateway: Gateway) -> None:
    # asking for another district's changes nothing: the officer's own is what they get
    asked = {"districtCodes": [WANZHOU, YUZHONG]}
    async with subscribe(gateway.url, NEWS, gateway.token(OFFICER), filter=asked) as feed:
        await gateway.listening(1)
        await gateway.publish(*agreement("ag_wanzhou", WANZHOU), *agreement("ag_yuzhong", YUZHONG))
        item = (await feed.next())["agreementNews"]
    assert (item["agreementId"], item["districtCode"]) == ("ag_yuzhong", YUZHONG)


async def test_signing_and_landing_are_reported_once_each(gateway: Gateway) -> None:
    stages = ("DRAFTED", "SIGNED", "IMPLEMENTING", "LANDED")
    events = agreement("ag_landed", YUZHONG, stages)
    # created; stage changed and signed; stage changed; stage changed and landed
    assert len(events) == 6
    async with subscribe(gateway.url, NEWS, gateway.token(INVESTOR)) as feed:
        await gateway.listening(1)
        await gateway.publish(*events)
        items = [(await feed.next())["agreementNews"] for _ in range(4)]
    assert [(i["change"], i["stage"]) for i in items] == [
        ("CREATED", "DRAFTED"),
        ("SIGNED", "SIGNED"),
        ("STAGE_CHANGED", "IMPLEMENTING"),
        ("LANDED", "LANDED"),
    ]
    assert items[1]["fromStage"] == "DRAFTED"


async def test_participants_and_visitors_are_refused(gateway: Gateway) -> None:
    talent = gateway.token(Actor("acc_t", Role.TALENT, party_id="tal_1"))
    for token in (talent, None):
        async with subscribe(gateway.url, NEWS, token) as feed:
            errors = await feed.error()
        assert "Investors, district officers and staff only" in errors[0]["message"]
