from __future__ import annotations

from decimal import Decimal

import pytest

from orders.funding import grant_amount


def test_grant_is_rate_of_eligible():
    assert grant_amount(
        eligible=Decimal("1000"), rate_percent=Decimal("80"), cap=Decimal("5000")
    ) == (
        Decimal("800.00"),
        Decimal("800.00"),
        False,
    )


def test_grant_is_capped():
    uncapped, amount, capped = grant_amount(
        eligible=Decimal("100000"), rate_percent=Decimal("90"), cap=Decimal("20000")
    )
    assert (uncapped, amount, capped) == (Decimal("90000.00"), Decimal("20000"), True)


@pytest.mark.parametrize(
    ("language", "amounts"),
    [("de", ("(0,00 €)", "(1.500,00 €)")), ("en", ("(€0.00)", "(€1,500.00)"))],
)
def test_minimum_message_writes_amounts_in_the_readers_language(language, amounts) -> None:
    """Issue 12, item 2: the German message read "0.00 € … 500.00 €"."""
    from django.utils import translation

    from catalog.models import CostItem, FundingProgramme
    from orders.funding import funding_error

    programme = FundingProgramme(
        rate_percent=Decimal(50), cap_amount=Decimal(10000), minimum_amount=Decimal(1500)
    )
    with translation.override(language):
        message = funding_error(programme, [CostItem(amount=Decimal(0), recurrence="one_off")])
    assert message is not None
    assert amounts[0] in message and amounts[1] in message
