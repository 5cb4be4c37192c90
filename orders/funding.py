"""Funding rules of a programme as pure functions, so the review page can explain them.

The eligible amount is the sum of a service's one-off costs (set-up, connection); yearly
operating costs are not funded. Grant = eligible × rate, capped at the programme's cap; a
grant below the programme's minimum is not awarded at all (Bagatellgrenze).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from catalog.models import CostItem, FundingProgramme

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FundingEstimate:
    programme: FundingProgramme
    eligible: Decimal
    rate_percent: Decimal
    uncapped: Decimal
    amount: Decimal
    capped: bool
    below_minimum: bool

    @property
    def cap(self) -> Decimal:
        return self.programme.cap_amount

    @property
    def minimum(self) -> Decimal:
        return self.programme.minimum_amount

    @property
    def application_before_contract(self) -> bool:
        return self.programme.application_before_contract


def eligible_amount(cost_items: Iterable[CostItem]) -> Decimal:
    return sum(
        (item.amount for item in cost_items if item.recurrence == CostItem.Recurrence.ONE_OFF),
        Decimal("0"),
    )


def grant_amount(
    *, eligible: Decimal, rate_percent: Decimal, cap: Decimal
) -> tuple[Decimal, Decimal, bool]:
    """Return (uncapped grant, grant, whether the cap applied)."""
    uncapped = (eligible * rate_percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
    if uncapped > cap:
        return uncapped, cap, True
    return uncapped, uncapped, False


def funding_estimate(
    programme: FundingProgramme, cost_items: Iterable[CostItem]
) -> FundingEstimate:
    eligible = eligible_amount(cost_items)
    # The special-need rate depends on the region's classification, which the portal does not
    # hold yet; the standard rate is requested and the funding body raises it where it applies.
    rate = programme.rate_percent
    uncapped, amount, capped = grant_amount(
        eligible=eligible, rate_percent=rate, cap=programme.cap_amount
    )
    return FundingEstimate(
        programme=programme,
        eligible=eligible,
        rate_percent=rate,
        uncapped=uncapped,
        amount=amount,
        capped=capped,
        below_minimum=amount < programme.minimum_amount,
    )


def funding_error(programme: FundingProgramme | None, cost_items: Iterable[CostItem]) -> str | None:
    """Why funding cannot be requested for this service, or None."""
    if programme is None:
        return _("Für diese Leistung gibt es kein Förderprogramm.")
    estimate = funding_estimate(programme, cost_items)
    if estimate.below_minimum:
        return _(
            "Die mögliche Förderung (%(amount)s €) liegt unter dem Mindestbetrag des "
            "Programms (%(minimum)s €); eine Förderung kann nicht beantragt werden."
        ) % {"amount": money(estimate.amount), "minimum": money(programme.minimum_amount)}
    return None


def money(amount: Decimal) -> str:
    """An amount as the reader writes it: "1.234,50" in German, "1,234.50" in English; the
    translated message places the € sign ("1.234,50 €", "€1,234.50")."""
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
