"""Report cells read the same as Django's number_format, in both languages, fast path or not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.formats import number_format

from reports.tables import display

INTS = [0, 7, 999, 1000, 1_234_567, -1234, 84_666_498]
SHARES = [Decimal("0.0"), Decimal("33.3"), Decimal("99.9"), Decimal("100.0"), Decimal("1234.5")]


@pytest.mark.parametrize("language", ["de", "en"])
def test_figures_read_as_number_format_writes_them(language: str) -> None:
    with translation.override(language):
        for value in INTS:
            assert display(value, "int") == number_format(value, force_grouping=True, use_l10n=True)
        shares: list[Decimal | float] = [*SHARES, Decimal("12.345"), 12.5]
        for share in shares:  # the last two: number_format's path
            expected = f"{number_format(share, decimal_pos=1, use_l10n=True)} %"
            assert display(share, "pct") == expected


def test_german_and_english_separators() -> None:
    with translation.override("de"):
        assert display(1_234_567, "int") == "1.234.567"
        assert display(Decimal("33.3"), "pct") == "33,3 %"
    with translation.override("en"):
        assert display(1_234_567, "int") == "1,234,567"
        assert display(Decimal("33.3"), "pct") == "33.3 %"
    assert display(None, "int") == "–"


def test_yes_and_no_follow_the_language_back_and_forth() -> None:
    """The displayer is kept per language: switching languages never serves the other's words."""
    for language, yes, no in [("de", "ja", "nein"), ("en", "yes", "no"), ("de", "ja", "nein")]:
        with translation.override(language):
            assert (display(True, "bool"), display(False, "bool")) == (yes, no)


def test_table_rows_escape_every_value_and_link() -> None:
    from reports.tables import Column
    from reports.templatetags.report_tags import table_rows

    columns = [Column("area", "Kreis"), Column("live", "Live", "int")]
    rows: list[dict[str, Any]] = [
        {"area": '<script>alert("x")</script>', "area_url": '/k/?a=1&b="2"', "live": 1200},
        {"area": "Kelheim", "live": None},
    ]

    with translation.override("de"):
        html = table_rows(rows, columns)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<a href="/k/?a=1&amp;b=&quot;2&quot;">' in html
    assert '<td class="report-int" data-col="live">1.200</td>' in html
    assert '<th scope="row">Kelheim</th><td class="report-int" data-col="live">–</td>' in html


def test_a_text_in_a_figure_column_is_escaped_and_yes_no_translated() -> None:
    """Figures skip escaping only when they are numbers: a text that reached a figure column
    is escaped like any other cell."""
    from reports.tables import Column
    from reports.templatetags.report_tags import table_rows

    columns = [
        Column("area", "Kreis"),
        Column("live", "Live", "int"),
        Column("share", "Anteil", "pct"),
        Column("met", "Ziel", "bool"),
    ]
    rows: list[dict[str, Any]] = [
        {"area": "A", "live": "<b>1</b>", "share": Decimal("12.5"), "met": True},
        {"area": "B", "live": 3, "share": "<i>", "met": False},
    ]

    with translation.override("en"):
        html = table_rows(rows, columns)

    assert "<b" not in html and "<i" not in html
    assert html.count("&lt;") == 3  # <b>, </b> and <i>, as number_format passed them on
    assert '<td class="report-pct" data-col="share">12.5 %</td>' in html
    assert '<td class="report-bool" data-col="met">yes</td>' in html
    assert '<td class="report-bool" data-col="met">no</td>' in html
