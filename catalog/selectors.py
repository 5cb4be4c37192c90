"""Reads of the catalog. The catalog is public; counts come from orders and roll-ins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from catalog.models import CostItem, Fachverfahren, Prerequisite, Service, ServiceOffering

# What a service's pages show that only the layers above the catalog know: how many
# authorities ordered it (orders) or run it live (rollin), and the stages of its roll-in
# (rollin). The catalog sits below them and must not import them, so they register here
# from their AppConfig.ready() and the catalog's selectors apply what is registered. This is
# the smallest change that removes the dependency: the catalog pages, their URLs, the API and
# the single query per list page stay as they are, and the catalog stores no counts that would
# have to be kept in step with every order. Each count is an expression correlated to the
# service row (OuterRef("pk")), see service_with_counts.
_counts: dict[str, Callable[[], Any]] = {}
_stage_outline: Callable[[Service], tuple[str | None, list[Any]]] | None = None
_stage_related: tuple[str, ...] = ()
# For signed-in staff: what their authority has of each service (rollin.service_states).
_own_states: Callable[[Any], dict[int, Any]] | None = None


def service_count_register(name: str, expression: Callable[[], Any]) -> None:
    """Annotate every listed or shown service with `name` = `expression()` (a layer above)."""
    _counts[name] = expression


def service_stages_register(
    outline: Callable[[Service], tuple[str | None, list[Any]]],
    *,
    select_related: tuple[str, ...] = (),
) -> None:
    """The stages a service's page shows, and the relations its detail query should join."""
    global _stage_outline, _stage_related
    _stage_outline, _stage_related = outline, select_related


def service_own_states_register(states: Callable[[Any], dict[int, Any]]) -> None:
    """What the user's authority has ordered or runs, by service id (a layer above)."""
    global _own_states
    _own_states = states


def service_own_states(user: Any) -> dict[int, Any]:
    """By service id: the user's authority's order of it, with stage and whose turn; empty for
    anyone but staff of an authority, or while nothing is registered."""
    return _own_states(user) if _own_states is not None else {}


if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from accounts.typing import AnyUser

    class _Counts(TypedDict):
        ordered_count: int
        live_count: int

    # A service with the counts service_with_counts annotates.
    ServiceWithCounts: TypeAlias = WithAnnotations[Service, _Counts]


def service_visible_to(user: AnyUser | None) -> QuerySet[Service]:
    """Everyone, signed in or not, may read the whole catalog (DESIGN §1)."""
    return Service.objects.all()


def service_with_counts(queryset: QuerySet[Service]) -> QuerySet[ServiceWithCounts]:
    """Annotate the registered counts (how many authorities ordered the service, run it live).

    Correlated subqueries, not a join with GROUP BY: PostgreSQL evaluates them only for the
    rows it returns (a page of ten services), not over every order of every service, and the
    number of queries does not grow with the number of services.
    """
    # The counts are registered by higher layers at start-up, so mypy cannot see their names.
    annotated = queryset.annotate(**{name: expression() for name, expression in _counts.items()})
    return cast("QuerySet[ServiceWithCounts]", annotated)


def service_list(
    *,
    user: AnyUser | None = None,
    query: str = "",
    level: str = "",
    status: str = "",
    prerequisite: Prerequisite | str | None = None,
    fachverfahren: Fachverfahren | int | None = None,
) -> QuerySet[ServiceWithCounts]:
    """Services matching a free-text query and filters, with their order counts.

    icontains over both languages works the same on SQLite and PostgreSQL; the catalog holds
    dozens of services, not millions, so a full-text index would not pay.
    """
    services = service_visible_to(user)
    for word in query.split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(short_description__icontains=word)
            | Q(short_description_en__icontains=word)
            | Q(description__icontains=word)
            | Q(description_en__icontains=word)
        )
    if level:
        services = services.filter(level=level)
    if status:
        services = services.filter(status=status)
    if prerequisite:
        code = prerequisite.code if isinstance(prerequisite, Prerequisite) else prerequisite
        services = services.filter(
            id__in=Service.prerequisites.through.objects.filter(prerequisite__code=code).values(
                "service_id"
            )
        )
    if fachverfahren:
        fachverfahren_id = (
            fachverfahren.pk if isinstance(fachverfahren, Fachverfahren) else fachverfahren
        )
        services = services.filter(
            id__in=Service.fachverfahren.through.objects.filter(
                fachverfahren_id=fachverfahren_id
            ).values("service_id")
        )
    return service_with_counts(services).order_by("position", "name")


def service_detail(slug: str, *, user: AnyUser | None = None) -> ServiceWithCounts:
    """One service with everything its page shows, in a fixed number of queries (404 if none)."""
    queryset = service_with_counts(
        service_visible_to(user)
        .select_related("funding_programme", *_stage_related)
        .prefetch_related("prerequisites", "fachverfahren", "cost_items")
    )
    return get_object_or_404(queryset, slug=slug)


@dataclass(frozen=True)
class CostSummary:
    one_off: list[CostItem]
    yearly: list[CostItem]

    @property
    def one_off_total(self) -> Decimal:
        return sum((item.amount for item in self.one_off), Decimal("0"))

    @property
    def yearly_total(self) -> Decimal:
        return sum((item.amount for item in self.yearly), Decimal("0"))


def service_costs(service: Service) -> CostSummary:
    """Split the (prefetched) cost items by recurrence."""
    items = list(service.cost_items.all())
    return CostSummary(
        one_off=[i for i in items if i.recurrence == CostItem.Recurrence.ONE_OFF],
        yearly=[i for i in items if i.recurrence == CostItem.Recurrence.YEARLY],
    )


def prerequisites_by_kind(service: Service) -> list[tuple[StrOrPromise, list[Prerequisite]]]:
    """(kind label, prerequisites) in the order of Prerequisite.Kind, only kinds present."""
    groups: dict[str, list[Prerequisite]] = {}
    for prerequisite in service.prerequisites.all():
        groups.setdefault(prerequisite.kind, []).append(prerequisite)
    return [(label, groups[kind]) for kind, label in Prerequisite.Kind.choices if kind in groups]


def service_stages(service: Service) -> tuple[str | None, list[Any]]:
    """The stage template's name (None for the default) and its stages, as registered by the
    roll-in; without one the page simply shows no stages."""
    if _stage_outline is None:
        return None, []
    return _stage_outline(service)


def service_offerings(service: Service) -> list[ServiceOffering]:
    """Where the service is offered: the open states, each with its Fachverfahren and funding."""
    return list(
        ServiceOffering.objects.filter(service=service, state__opened_at__isnull=False)
        .select_related("state", "funding_programme")
        .prefetch_related("fachverfahren")
        .order_by("state__ags")
    )


def offered_fachverfahren(service: Service, state_id: int | None) -> list[Fachverfahren]:
    """The Fachverfahren an authority of the state may order `service` with: those of the
    state's offering (catalog.opening), else the catalog's compatible ones."""
    offering = (
        ServiceOffering.objects.filter(service=service, state_id=state_id)
        .prefetch_related("fachverfahren")
        .first()
        if state_id is not None
        else None
    )
    if offering is not None:
        return list(offering.fachverfahren.all())
    return list(service.fachverfahren.all())
