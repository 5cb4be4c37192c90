from __future__ import annotations

import pytest

from catalog import selectors
from catalog.models import Fachverfahren, Service
from rollin.models import Rollin
from tests.factories import LandratsamtFactory
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import RollinFactory


def _slugs(queryset) -> set[str]:
    return {service.slug for service in queryset}


def test_search_for_wohnsitz_finds_ewohnsitz_only(catalog) -> None:
    assert _slugs(selectors.service_list(query="Wohnsitz")) == {"ewohnsitz"}


def test_search_matches_description_and_english(catalog) -> None:
    assert _slugs(selectors.service_list(query="XBau")) == {"bauantrag"}
    assert _slugs(selectors.service_list(query="firearms")) == {"ewaffe"}
    assert _slugs(selectors.service_list(query="führerschein umtausch")) == {"fuehrerschein"}


def test_filter_district_level_shows_four(catalog) -> None:
    assert len(selectors.service_list(level="district")) == 4
    assert _slugs(selectors.service_list(level="municipal")) == {"ewohnsitz"}


def test_filter_by_prerequisite_and_fachverfahren(catalog) -> None:
    with_payment = _slugs(selectors.service_list(prerequisite="epaybl"))
    assert with_payment == {"fuehrerschein", "aufenthalt-digital", "ewaffe", "bauantrag"}
    assert "fuehrerschein" in _slugs(selectors.service_list(prerequisite="fit-connect"))
    assert "bauantrag" not in _slugs(selectors.service_list(prerequisite="fit-connect"))
    xmeld = Fachverfahren.objects.get(interface_standard="XMeld")
    assert _slugs(selectors.service_list(fachverfahren=xmeld)) == {"ewohnsitz"}
    assert _slugs(selectors.service_list(fachverfahren=xmeld, level="district")) == set()


@pytest.mark.django_db
def test_filter_by_status() -> None:
    ServiceFactory(slug="jetzt")
    ServiceFactory(slug="spaeter", status=Service.Status.PLANNED)
    assert _slugs(selectors.service_list(status="planned")) == {"spaeter"}


@pytest.mark.django_db
def test_counts_come_from_active_orders_and_live_rollins() -> None:
    service = DistrictServiceFactory(slug="ewaffe")
    other = DistrictServiceFactory(slug="bauantrag")
    for _ in range(2):
        RollinFactory(
            order__service=service,
            live=True,
            order__authority=LandratsamtFactory(
                district__ags=f"0918{_}", district__name=f"Kreis {_}"
            ),
        )
    RollinFactory(order__service=service, status=Rollin.Status.WAITING)
    RollinFactory(order__service=service, cancelled=True)
    RollinFactory(order__service=other, status=Rollin.Status.IN_PROGRESS)

    counts = {s.slug: (s.ordered_count, s.live_count) for s in selectors.service_list()}

    assert counts == {"ewaffe": (3, 2), "bauantrag": (1, 0)}
    detail = selectors.service_detail("ewaffe")
    assert (detail.ordered_count, detail.live_count) == (3, 2)
    # Counted from the maintained figures, not from every order ever placed.
    assert "orders_order" not in str(selectors.service_list().query)


def test_stages_fall_back_to_the_default_template(catalog) -> None:
    name, stages = selectors.service_stages(selectors.service_detail("ewohnsitz"))
    assert name is None
    assert [stage.code for stage in stages][:2] == ["bestellt", "vertrag"]
    assert stages[-1].is_live
