"""The order list's filters; the same FilterSet drives the list, bulk "all" and the export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import coordinators_of_states
from catalog.models import Service
from dashboard.access import coordinated_states
from dashboard.selectors import overdue_q, overdue_until, stages_for_filters, waiting_for
from geo.models import District, Region, State
from orders.models import Order
from portal.choices import keep_choices
from portal.fields import BoundedModelChoiceField, is_database_integer
from rollin.figure_versions import reference_version
from rollin.models import ItemDefinition, Rollin, StatusFigure, WaitingFigure

if TYPE_CHECKING:
    from django.http import QueryDict

STATUS_CHOICES = [
    ("on_hold", _("Zurückgestellt")),
    ("failing", _("Fehler")),
    ("overdue", _("Überfällig")),
    ("waiting_staff", _("Wartet auf die Behörde")),
    ("waiting_coordinator", _("Wartet auf die Koordination")),
    ("in_progress", _("In Bearbeitung")),
    ("live", _("Wirkbetrieb")),
    ("cancelled", _("Storniert")),
]

# The roll-in statuses each plain status choice stands for: the list's filter and its count
# from rollin's status figures read the same map. The count comes from the figures (a few
# rows, maintained with every change) when only FIGURE_FILTERS are chosen.
FIGURE_FILTERS = frozenset({"state", "service", "stage", "status", "sort"})
FIGURE_STATUSES = {
    "in_progress": [Rollin.Status.IN_PROGRESS, Rollin.Status.WAITING],
    "on_hold": [Rollin.Status.ON_HOLD],
    "failing": [Rollin.Status.FAILING],
    "live": [Rollin.Status.LIVE],
    "cancelled": [Rollin.Status.CANCELLED],
}

# "Waits for …" choices → whose turn (Rollin.waiting_on); counted from the waiting figures,
# and "overdue" from the due figures, which are kept per state, when no other filter is
# chosen.
WAITING_ACTORS = {
    "waiting_staff": ItemDefinition.Actor.STAFF,
    "waiting_coordinator": ItemDefinition.Actor.COORDINATOR,
}
PER_STATE_FILTERS = frozenset({"state", "status", "sort"})

# ?sort= values → model fields; nothing else can reach order_by().
SORT_FIELDS = (
    ("number", "number"),
    ("authority__name", "authority"),
    ("authority__district__name", "district"),
    ("service__name", "service"),
    ("rollin__stage_position", "stage"),
    ("rollin__status", "status"),
    ("rollin__assignee_last_name", "assignee"),
    ("created_at", "ordered"),
    ("rollin__due_at", "due"),
)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Suche (Bestellnummer, Behörde)"))
    state = ModelChoiceFilter(
        method="filter_state", queryset=State.objects.none(), label=_("Bundesland")
    )
    region = ModelChoiceFilter(
        field_name="authority__region", queryset=Region.objects.none(), label=_("Regierungsbezirk")
    )
    district = ModelChoiceFilter(
        field_name="authority__district", queryset=District.objects.none(), label=_("Kreis")
    )
    authority = django_filters.CharFilter(
        field_name="authority__name", lookup_expr="icontains", label=_("Behörde")
    )
    # Through the roll-in's copy (see filter_state).
    service = ModelChoiceFilter(
        field_name="rollin__service", queryset=Service.objects.all(), label=_("Leistung")
    )
    stage = django_filters.ChoiceFilter(
        field_name="rollin__stage__code", choices=[], label=_("Stufe")
    )
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUS_CHOICES, label=_("Status")
    )
    assignee = django_filters.ChoiceFilter(
        method="filter_assignee", choices=[], label=_("Zuständig")
    )
    ordered = django_filters.DateFromToRangeFilter(
        field_name="created_at",
        label=_("Bestellt zwischen"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(fields=SORT_FIELDS, label=_("Sortierung"))

    class Meta:
        model = Order
        fields: list[str] = []

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Order] | None = None,
        *,
        user: User,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        self.user = user
        states = coordinated_states(user)
        self.states = states
        self.filters["state"].queryset = states
        regions, districts = _areas_within(states, data or {})
        self.filters["region"].queryset = regions
        self.filters["district"].queryset = districts
        self.filters["stage"].extra["choices"] = [
            (stage.code, stage.display_label) for stage in stages_for_filters()
        ]
        self.coordinators = _coordinators_of(states)
        self.filters["assignee"].extra["choices"] = [
            ("me", _("Mir")),
            ("unassigned", _("Niemandem")),
            *((str(user.pk), user.display_name) for user in self.coordinators),
        ]

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form
        # Labels for the two date inputs of the range (WCAG: every input has a name).
        for name in ("ordered",):
            widget = form.fields[name].widget
            widget.widgets[0].attrs.setdefault("aria-label", _("Bestellt ab"))
            widget.widgets[1].attrs.setdefault("aria-label", _("Bestellt bis"))
        return form

    def offer_kept_choices(self) -> None:
        """For a page that shows the filter: its lists of states, areas and services from the
        process's memory (portal.choices). The export and the bulk action read none."""
        keep_choices(self.form, ("state", "region", "district", "service"), reference_version())

    def filter_queryset(self, queryset: QuerySet[Order]) -> QuerySet[Order]:
        """Sorted columns hold equal values (many orders share a stage or a due date): the
        order id breaks ties, so paging never shows an order twice or skips one. Orders
        without a value (no due date, no assignee) come last in either direction."""
        queryset = super().filter_queryset(queryset)
        sort = [key for key in queryset.query.order_by if isinstance(key, str)]
        if not sort:
            return queryset
        return queryset.order_by(*(_nulls_last(key) for key in sort), "-id")

    def figure_count(self) -> int | None:
        """How many orders the list holds, summed from the status figures instead of counted
        over the orders (whose number grows with every order ever placed); None when a
        chosen filter is not a key of those figures (search, area, assignee, dates, …)."""
        form = self.form
        if not form.is_valid():
            return None
        chosen = {name: value for name, value in form.cleaned_data.items() if _is_chosen(value)}
        status = chosen.get("status")
        if status in WAITING_ACTORS:
            return self._waiting_count(chosen)
        if status == "overdue":
            return self._overdue_count(chosen)
        if not set(chosen) <= FIGURE_FILTERS or (status and status not in FIGURE_STATUSES):
            return None
        figures = StatusFigure.objects.filter(state__in=self.states)
        if "state" in chosen:
            figures = figures.filter(state=chosen["state"])
        if "service" in chosen:
            figures = figures.filter(service=chosen["service"])
        if "stage" in chosen:
            figures = figures.filter(stage__code=chosen["stage"])
        if status:
            figures = figures.filter(status__in=FIGURE_STATUSES[status])
        return figures.aggregate(total=Sum("orders"))["total"] or 0

    def _waiting_count(self, chosen: dict[str, Any]) -> int | None:
        """The orders waiting on a side, from the waiting figures (kept per state only)."""
        if not set(chosen) <= PER_STATE_FILTERS:
            return None
        figures = WaitingFigure.objects.filter(
            state__in=self.states, waiting_on=WAITING_ACTORS[chosen["status"]]
        )
        if "state" in chosen:
            figures = figures.filter(state=chosen["state"])
        return figures.aggregate(total=Sum("orders"))["total"] or 0

    def _overdue_count(self, chosen: dict[str, Any]) -> int | None:
        """The overdue orders as the overview counts them (selectors.overdue_until): the due
        figures before today and today's roll-ins; counted over the orders, 250 ms at
        500,000."""
        if not set(chosen) <= PER_STATE_FILTERS:
            return None
        states = [chosen["state"]] if "state" in chosen else self.states
        return overdue_until([state.pk for state in states], timezone.now())[0]

    def filter_state(self, queryset: QuerySet[Order], name: str, value: State) -> QuerySet[Order]:
        """The state named twice, through the roll-in's copy and the authority (equal by
        construction): PostgreSQL then reads a page in either sort order from an index, by
        due date from the roll-ins' (rollin_list_by_due), by authority from the authorities'
        names, instead of sorting the state's orders."""
        return queryset.filter(rollin__state=value, authority__state=value)

    def filter_search(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(authority__name__icontains=value))

    def filter_status(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        if value == "overdue":
            return queryset.filter(overdue_q(timezone.now()))
        if value in WAITING_ACTORS:
            return queryset.filter(waiting_for(WAITING_ACTORS[value]))
        return queryset.filter(rollin__status__in=FIGURE_STATUSES[value])

    def filter_assignee(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        if value == "me":
            return queryset.filter(rollin__assignee=self.user)
        if value == "unassigned":
            return queryset.filter(rollin__assignee__isnull=True)
        return queryset.filter(rollin__assignee_id=int(value))


def _is_chosen(value: Any) -> bool:
    if isinstance(value, slice):  # the date range: chosen when either end is
        return value.start is not None or value.stop is not None
    return value not in (None, "", [])


def _nulls_last(key: str) -> OrderBy:
    """Missing values last; a column that is never empty is sorted plainly, so that the
    index of its order serves the page (NULLS LAST on it would not match the index)."""
    path = key.removeprefix("-")
    nulls_last = True if _may_be_empty(path) else None
    if key.startswith("-"):
        return F(path).desc(nulls_last=nulls_last)
    return F(path).asc(nulls_last=nulls_last)


def _may_be_empty(path: str) -> bool:
    """Whether an order's value at this lookup path can be NULL: a nullable column, or a
    relation on the way that may be missing (the reverse roll-in, an empty assignee)."""
    model: Any = Order
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null or (field.is_relation and not field.concrete):
            return True
        model = field.related_model
    return False


def _areas_within(
    states: QuerySet[State], data: Any
) -> tuple[QuerySet[Region], QuerySet[District]]:
    """Regions and districts offered by the filter: those of the chosen state (and region),
    so that the choice fits on a page without JavaScript; all of the user's states otherwise.
    Ids that are not numbers are left to the form's own validation."""
    regions = Region.objects.filter(state__in=states)
    districts = District.objects.filter(state__in=states)
    state, region = str(data.get("state", "")), str(data.get("region", ""))
    if is_database_integer(state):
        regions = regions.filter(state_id=int(state))
        districts = districts.filter(state_id=int(state))
    if is_database_integer(region):
        districts = districts.filter(region_id=int(region))
    return regions.order_by("name"), districts.order_by("name")


def _coordinators_of(states: QuerySet[State]) -> list[User]:
    return list(coordinators_of_states(states).distinct().order_by("last_name", "email"))


def order_filter_for(user: User, data: QueryDict, queryset: QuerySet[Order]) -> OrderFilter:
    return OrderFilter(data, queryset, user=user)
