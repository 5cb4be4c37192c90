from __future__ import annotations

from decimal import Decimal

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
