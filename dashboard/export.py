"""CSV export of the filtered order list, streamed row by row in constant memory."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from rollin.models import Rollin

BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with it
CHUNK = 2000

COLUMNS = (
    ("number", _("Bestellnummer")),
    ("authority__name", _("Behörde")),
    ("authority__code", _("Kennung der Behörde")),
    ("authority__district__name", _("Kreis")),
    ("authority__state__name", _("Bundesland")),
    ("service__name", _("Leistung")),
    ("rollin__stage__label", _("Stufe")),
    ("rollin__status", _("Status")),
    ("rollin__assignee__email", _("Zuständig")),
    ("created_at", _("Bestellt am")),
    ("rollin__due_at", _("Fällig am")),
    ("rollin__live_at", _("Im Wirkbetrieb seit")),
    ("contact_name", _("Ansprechperson")),
    ("contact_email", _("E-Mail der Ansprechperson")),
)


class _Echo:
    """csv.writer wants a file; this one hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    return value


def csv_lines(orders: QuerySet[Order]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    statuses = dict(Rollin.Status.choices)
    status_index = [field for field, _label in COLUMNS].index("rollin__status")
    yield BOM + writer.writerow([str(label) for _field, label in COLUMNS])
    rows = orders.order_by("number").values_list(*(field for field, _label in COLUMNS))
    for row in rows.iterator(chunk_size=CHUNK):
        cells = [_cell(value) for value in row]
        cells[status_index] = str(statuses.get(cells[status_index], cells[status_index]))
        yield writer.writerow(cells)
