"""Outreach adds its booking link to the roll-in's order panel by registering a partial; the
roll-in's templates do not name it. (The panel still names the coordination's URLs for
its forms when the dashboard includes it: `coordination`.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from rollin.models import ItemDefinition, Rollin
from rollin.selectors import rollin_panel
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import RollinFactory

ABOVE_THE_ROLLIN = ("outreach/", "outreach:", "reports/", "reports:")


def test_rollin_templates_name_neither_outreach_nor_reports() -> None:
    templates = Path(settings.BASE_DIR, "templates", "rollin").glob("*.html")
    for template in templates:
        text = template.read_text()
        assert not [name for name in ABOVE_THE_ROLLIN if name in text], template.name


@pytest.mark.django_db
def test_the_training_item_carries_the_booking_link_outreach_registered() -> None:
    rollin = RollinFactory(order__service=ServiceFactory(), at="schulung")
    panel = rollin_panel(Rollin.objects.get(pk=rollin.pk), rollin.order.placed_by)
    extras = {row.item.definition.role: row.extra_template for row in panel.items}
    assert extras[ItemDefinition.Role.TRAINING] == "outreach/_book_link.html"
    assert not [template for role, template in extras.items() if role != "training" and template]
