"""Reads of the catalog. The catalog is public; counts come from orders and roll-ins."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from catalog.models import CostItem, Fachverfahren, Prerequisite, Service
from orders.models import Order
from rollin.models import Rollin, StageDefinition

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
    """Annotate how many authorities ordered the service and how many run it live.

    Correlated subqueries, not a join with GROUP BY: PostgreSQL evaluates them only for the
    rows it returns (a page of ten services), not over every order of every service, and the
    number of queries does not grow with the number of services. Cancelled orders count for
    neither.
    """
    active = Order.objects.filter(service=OuterRef("pk"), cancelled_at__isnull=True).order_by()

    def authorities(orders: QuerySet[Order]) -> Coalesce:
        counted = orders.values("service").annotate(n=Count("authority", distinct=True))
        return Coalesce(Subquery(counted.values("n")), 0)

    return queryset.annotate(
        ordered_count=authorities(active),
        live_count=authorities(active.filter(rollin__status=Rollin.Status.LIVE)),
    )


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
        .select_related("funding_programme", "stage_template")
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


def service_stages(service: Service) -> tuple[str | None, list[StageDefinition]]:
    """The stage template's name (None for the default) and its stages by position.

    A service without its own template uses the default one (service=None); if neither
    exists yet, the page simply shows no stages.
    """
    template = getattr(service, "stage_template", None)
    if template is not None:
        return template.name, list(template.stages.order_by("position"))
    stages = StageDefinition.objects.filter(template__service__isnull=True).order_by("position")
    return None, list(stages)
