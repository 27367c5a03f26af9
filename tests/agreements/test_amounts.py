"""Amounts: decimal, never negative, each with its ISO 4217 currency; the headline figure
and how it is written."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from boyin_agreements.agreements.amounts import (
    Amounts,
    Money,
    MoneyIn,
    checked_amounts,
    checked_money,
)
from boyin_shared.api.agreements import AmountKind
from boyin_shared.errors import FieldError
from tests.agreements.support import TALENT, TERMS, bilingual, later, negotiating, refused


def problems(value: MoneyIn) -> list[tuple[str, str]]:
    out: list[FieldError] = []
    assert checked_money("amounts.investment", value, out) is None
    for f in out:
        bilingual(f.message)
    return [(f.field, f.code) for f in out]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (MoneyIn(Decimal("100"), None), [("amounts.investment.currency", "REQUIRED")]),
        (MoneyIn(Decimal("100"), "  "), [("amounts.investment.currency", "REQUIRED")]),
        (MoneyIn(Decimal("-0.01"), "CNY"), [("amounts.investment.amount", "NEGATIVE")]),
        (
            MoneyIn(Decimal("-5"), None),
            [
                ("amounts.investment.amount", "NEGATIVE"),
                ("amounts.investment.currency", "REQUIRED"),
            ],
        ),
        (MoneyIn(None, "CNY"), [("amounts.investment.amount", "REQUIRED")]),
        (MoneyIn(Decimal("NaN"), "CNY"), [("amounts.investment.amount", "NOT_A_NUMBER")]),
        (MoneyIn(Decimal("Infinity"), "CNY"), [("amounts.investment.amount", "NOT_A_NUMBER")]),
        (MoneyIn(Decimal("1e15"), "CNY"), [("amounts.investment.amount", "TOO_LARGE")]),
        (MoneyIn(Decimal("10"), "RMB"), [("amounts.investment.currency", "UNKNOWN_CURRENCY")]),
        (MoneyIn(Decimal("10"), "CNYY"), [("amounts.investment.currency", "UNKNOWN_CURRENCY")]),
        (MoneyIn(Decimal("10.001"), "CNY"), [("amounts.investment.amount", "TOO_PRECISE")]),
        (MoneyIn(Decimal("1000.5"), "JPY"), [("amounts.investment.amount", "TOO_PRECISE")]),
    ],
)
def test_a_bad_amount_is_refused_naming_the_field(
    value: MoneyIn, expected: list[tuple[str, str]]
) -> None:
    assert problems(value) == expected


@pytest.mark.parametrize(
    ("value", "money"),
    [
        (MoneyIn(Decimal("1500000"), "CNY"), Money(Decimal("1500000.00"), "CNY")),
        (MoneyIn(Decimal("0"), " usd "), Money(Decimal("0.00"), "USD")),
        (MoneyIn(Decimal("-0"), "EUR"), Money(Decimal("0.00"), "EUR")),
        (MoneyIn(Decimal("12.500"), "KWD"), Money(Decimal("12.500"), "KWD")),
        (MoneyIn(Decimal("300000"), "JPY"), Money(Decimal("300000"), "JPY")),
        (MoneyIn(Decimal("1.10"), "CNY"), Money(Decimal("1.10"), "CNY")),
    ],
)
def test_a_good_amount_is_kept_with_its_currency_s_decimals(value: MoneyIn, money: Money) -> None:
    out: list[FieldError] = []
    got = checked_money("x", value, out)
    assert out == []
    assert got == money and got is not None
    assert str(got.amount) == str(money.amount) and not got.amount.is_signed()


def test_no_amount_entered_is_no_amount() -> None:
    out: list[FieldError] = []
    assert checked_money("x", MoneyIn(None, None), out) is None and out == []


def test_every_amount_is_checked_at_once() -> None:
    out: list[FieldError] = []
    amounts = checked_amounts(
        {
            AmountKind.CONTRACT_VALUE: MoneyIn(Decimal("-1"), "CNY"),
            AmountKind.HORIZONTAL_RESEARCH_FUNDS: MoneyIn(Decimal("300000"), None),
            AmountKind.START_UP_FUNDS: MoneyIn(Decimal("500000"), "CNY"),
        },
        out,
    )
    assert [f.field for f in out] == [
        "amounts.contract_value.amount",
        "amounts.horizontal_research_funds.currency",
    ]
    assert amounts == Amounts(start_up_funds=Money(Decimal("500000.00"), "CNY"))


def test_an_amount_without_currency_is_refused_when_the_terms_change() -> None:
    bad = {AmountKind.CONTRACT_VALUE: MoneyIn(Decimal("1000"), None)}
    with refused("VALIDATION_FAILED", 422, "amounts.contract_value.currency"):
        negotiating().amend(TALENT, dataclasses.replace(TERMS, amounts=bad), later(10))


def test_the_headline_is_the_contract_value_else_the_next_amount_stated() -> None:
    cny = Money(Decimal("100.00"), "CNY")
    usd = Money(Decimal("7.00"), "USD")
    assert Amounts(contract_value=cny, investment=usd).headline == cny
    assert Amounts(investment=usd, start_up_funds=cny).headline == usd
    assert Amounts(horizontal_research_funds=cny, start_up_funds=usd).headline == cny
    assert Amounts(start_up_funds=usd).headline == usd
    assert Amounts().headline is None


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(Decimal("15000000.00"), "CNY"), "CNY 15,000,000.00"),
        (Money(Decimal("300000"), "JPY"), "JPY 300,000"),
        (Money(Decimal("1234.500"), "BHD"), "BHD 1,234.500"),
        (Money(Decimal("0.00"), "EUR"), "EUR 0.00"),
    ],
)
def test_a_figure_is_written_with_its_currency(money: Money, text: str) -> None:
    assert money.formatted() == text
