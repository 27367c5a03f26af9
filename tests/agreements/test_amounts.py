"""Amounts: decimal, never negative, each with its ISO 4217 currency; the headline figure
and how it is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from boyin_agreements.agreements.amounts import (
    Amounts,
    Money,
    checked_amounts,
    checked_money,
)
from boyin_shared.api.agreements import AmountKind, MoneyIn
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
        (
            MoneyIn(amount=Decimal("100"), currency=None),
            [("amounts.investment.currency", "REQUIRED")],
        ),
        (
            MoneyIn(amount=Decimal("100"), currency="  "),
            [("amounts.investment.currency", "REQUIRED")],
        ),
        (
            MoneyIn(amount=Decimal("-0.01"), currency="CNY"),
            [("amounts.investment.amount", "NEGATIVE")],
        ),
        (
            MoneyIn(amount=Decimal("-5"), currency=None),
            [
                ("amounts.investment.amount", "NEGATIVE"),
                ("amounts.investment.currency", "REQUIRED"),
            ],
        ),
        (MoneyIn(amount=None, currency="CNY"), [("amounts.investment.amount", "REQUIRED")]),
        (
            MoneyIn(amount=Decimal("1e15"), currency="CNY"),
            [("amounts.investment.amount", "TOO_LARGE")],
        ),
        (
            MoneyIn(amount=Decimal("10"), currency="RMB"),
            [("amounts.investment.currency", "UNKNOWN_CURRENCY")],
        ),
        (
            MoneyIn(amount=Decimal("10"), currency="CNYY"),
            [("amounts.investment.currency", "UNKNOWN_CURRENCY")],
        ),
        (
            MoneyIn(amount=Decimal("10.001"), currency="CNY"),
            [("amounts.investment.amount", "TOO_PRECISE")],
        ),
        (
            MoneyIn(amount=Decimal("1000.5"), currency="JPY"),
            [("amounts.investment.amount", "TOO_PRECISE")],
        ),
    ],
)
def test_a_bad_amount_is_refused_naming_the_field(
    value: MoneyIn, expected: list[tuple[str, str]]
) -> None:
    assert problems(value) == expected


@pytest.mark.parametrize(
    ("value", "money"),
    [
        (MoneyIn(amount=Decimal("1500000"), currency="CNY"), Money(Decimal("1500000.00"), "CNY")),
        (MoneyIn(amount=Decimal("0"), currency=" usd "), Money(Decimal("0.00"), "USD")),
        (MoneyIn(amount=Decimal("-0"), currency="EUR"), Money(Decimal("0.00"), "EUR")),
        (MoneyIn(amount=Decimal("12.500"), currency="KWD"), Money(Decimal("12.500"), "KWD")),
        (MoneyIn(amount=Decimal("300000"), currency="JPY"), Money(Decimal("300000"), "JPY")),
        (MoneyIn(amount=Decimal("1.10"), currency="CNY"), Money(Decimal("1.10"), "CNY")),
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
    assert checked_money("x", MoneyIn(amount=None, currency=None), out) is None and out == []


def test_every_amount_is_checked_at_once() -> None:
    out: list[FieldError] = []
    amounts = checked_amounts(
        {
            AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("-1"), currency="CNY"),
            AmountKind.HORIZONTAL_RESEARCH_FUNDS: MoneyIn(amount=Decimal("300000"), currency=None),
            AmountKind.START_UP_FUNDS: MoneyIn(amount=Decimal("500000"), currency="CNY"),
        },
        out,
    )
    assert [f.field for f in out] == [
        "amounts.contract_value.amount",
        "amounts.horizontal_research_funds.currency",
    ]
    assert amounts == Amounts(start_up_funds=Money(Decimal("500000.00"), "CNY"))


def test_an_amount_without_currency_is_refused_when_the_terms_change() -> None:
    bad = {AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("1000"), currency=None)}
    with refused("VALIDATION_FAILED", 422, "amounts.contract_value.currency"):
        negotiating().amend(TALENT, TERMS.model_copy(update={"amounts": bad}), later(10))


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


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_an_amount_that_is_not_a_number_is_refused_as_it_is_read(amount: str) -> None:
    with pytest.raises(ValidationError) as refused:
        MoneyIn.model_validate({"amount": amount, "currency": "CNY"})
    assert refused.value.errors()[0]["type"] == "finite_number"
