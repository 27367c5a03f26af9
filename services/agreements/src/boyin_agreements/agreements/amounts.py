"""The amounts an agreement states (contract value, investment, horizontal research funds,
start-up funds): decimal numbers, never negative, each with its ISO 4217 currency."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from boyin_agreements.agreements.refusals import error
from boyin_shared.api.agreements import AmountKind, MoneyIn
from boyin_shared.errors import FieldError

#: the ISO 4217 codes of the currencies in circulation (funds, metals and test codes left out)
_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF
XPF YER ZAR ZMW ZWG ZWL
"""
#: the codes whose amounts have no decimals, and those with three (the others have two)
_NO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
CURRENCIES = frozenset(_CODES.split())
_MINOR_UNITS = {
    **dict.fromkeys(_NO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
}
#: no agreement states a quadrillion or more
MAXIMUM = Decimal(10) ** 15

#: the figure an agreement is announced with: the first of these it states
HEADLINE_ORDER = (
    AmountKind.CONTRACT_VALUE,
    AmountKind.INVESTMENT,
    AmountKind.HORIZONTAL_RESEARCH_FUNDS,
    AmountKind.START_UP_FUNDS,
)


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


@dataclass(frozen=True)
class Money:
    """A checked amount: finite, ``0 ≤ amount < MAXIMUM``, with the currency's decimals."""

    amount: Decimal
    currency: str

    def formatted(self) -> str:
        """``CNY 1,500,000.00`` (grouped thousands, the currency's decimals)."""
        return f"{self.currency} {self.amount:,.{minor_units(self.currency)}f}"


@dataclass(frozen=True)
class Amounts:
    contract_value: Money | None = None
    investment: Money | None = None
    horizontal_research_funds: Money | None = None
    start_up_funds: Money | None = None

    def get(self, kind: AmountKind) -> Money | None:
        value: Money | None = getattr(self, kind.value.lower())
        return value

    def items(self) -> list[tuple[AmountKind, Money]]:
        """The amounts stated, in ``HEADLINE_ORDER``."""
        return [(k, m) for k in HEADLINE_ORDER if (m := self.get(k)) is not None]

    @property
    def headline(self) -> Money | None:
        stated = self.items()
        return stated[0][1] if stated else None


NO_AMOUNTS = Amounts()


def amount_field(kind: AmountKind) -> str:
    """The input field of an amount (``amounts.contract_value``)."""
    return f"amounts.{kind.value.lower()}"


def checked_amounts(values: Mapping[AmountKind, MoneyIn], out: list[FieldError]) -> Amounts:
    """The amounts entered, checked; every problem is added to ``out`` (the amount it is
    about left out)."""
    checked = {
        kind.value.lower(): checked_money(amount_field(kind), value, out)
        for kind, value in values.items()
    }
    return Amounts(**checked)


def checked_money(field: str, value: MoneyIn, out: list[FieldError]) -> Money | None:
    """One amount, checked (None: none entered, or refused with its reasons in ``out``)."""
    amount, currency = value.amount, (value.currency or "").strip().upper()
    if amount is None and not currency:
        return None
    problems = len(out)
    if amount is None:
        out.append(error(f"{field}.amount", "REQUIRED", "请填写金额", "the amount is missing"))
    elif amount < 0:
        out.append(
            error(f"{field}.amount", "NEGATIVE", "金额不能为负数", "an amount cannot be negative")
        )
    elif amount >= MAXIMUM:
        out.append(error(f"{field}.amount", "TOO_LARGE", "金额过大", "the amount is too large"))
    if not currency:
        out.append(
            error(
                f"{field}.currency",
                "REQUIRED",
                "金额须注明币种（ISO 4217 代码，如 CNY）",
                "an amount needs its currency (an ISO 4217 code such as CNY)",
            )
        )
    elif currency not in CURRENCIES:
        out.append(
            error(
                f"{field}.currency",
                "UNKNOWN_CURRENCY",
                f"未知的币种代码：{currency}（须为 ISO 4217 代码，如 CNY）",
                f"unknown currency code: {currency} (an ISO 4217 code such as CNY)",
            )
        )
    if len(out) > problems or amount is None:
        return None
    places = minor_units(currency)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        out.append(
            error(
                f"{field}.amount",
                "TOO_PRECISE",
                f"{currency} 金额最多 {places} 位小数",
                f"{currency} amounts have at most {places} decimals",
            )
        )
        return None
    quantum = Decimal(1).scaleb(-places)
    # a negative zero (-0.00) is zero
    return Money((amount or Decimal(0)).quantize(quantum), currency)
