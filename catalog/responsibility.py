"""Who provides a service to the people of a municipality: the one question coverage rests on.

Every page that counts responsible authorities, uncovered inhabitants or who may order a
service asks these functions, never the authority's level flags directly.

The answer is data: by default a service follows its level (the municipality's
`municipal_authority` or `district_authority`); where a state's rules or an operator say
otherwise, a `Responsibility` row names the authority for that municipality, with its legal
basis. Only those exceptions are stored (in Bavaria 29 rows for the building service instead of
10,280 for five services), so the level rule stays one indexed filter and the exceptions are
a small correction on top of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from catalog.models import Responsibility, ResponsibilityRule, Service, TaskTransfer
from geo.models import Authority, Level, Municipality, State
from portal.reference_version import reference_changed

BATCH_SIZE = 500

# Which rule decides, most specific first: a municipality on the transfer list, a Große
# Kreisstadt, then the state's rule for everyone. No rule at all: the service's level.
_PRECEDENCE = [
    ResponsibilityRule.AppliesTo.TRANSFERRED,
    ResponsibilityRule.AppliesTo.GROSSE_KREISSTADT,
    ResponsibilityRule.AppliesTo.ALL,
]
GROSSE_KREISSTADT_KIND_CODE = "67"  # Destatis Textkennzeichen


def default_authority_field(service: Service) -> str:
    """The municipality's foreign key that the level rule reads for `service`."""
    return "municipal_authority" if service.level == Level.MUNICIPAL else "district_authority"


def _level_q(service: Service) -> Q:
    if service.level == Level.MUNICIPAL:
        return Q(is_municipal_level=True)
    return Q(is_district_level=True)


def current_exceptions(service: Service) -> QuerySet[Responsibility]:
    """The service's exception rows on municipalities of the current Gebietsstand."""
    return Responsibility.objects.filter(service=service, municipality__ended_on__isnull=True)


def responsible_authorities(
    service: Service, states: Iterable[State] | None = None
) -> QuerySet[Authority]:
    """The authorities responsible for `service` somewhere (in `states`, if given).

    Each row carries `served_population`: the inhabitants for whom it provides the service —
    its level population, less the municipalities an exception gives to another authority,
    plus those an exception gives to it.

    The exceptions are few (29 in Bavaria), so they are read once here and folded into the
    query as constants: correlated subqueries per authority cost 150 ms over Germany's
    4,700 authorities, even for a service without a single exception.
    """
    scope = list(states) if states is not None else None
    shifts = _population_shifts(service)
    by_level = _level_q(service)
    gaining = [pk for pk, shift in shifts.items() if shift.gained]
    authorities = Authority.objects.filter(ended_on__isnull=True).filter(
        by_level | Q(pk__in=gaining)
    )
    if scope is not None:
        authorities = authorities.filter(state__in=scope)
    level_population = Case(
        When(by_level, then=F("population")), default=0, output_field=IntegerField()
    )
    if not shifts:
        return authorities.annotate(served_population=level_population)
    correction = Case(
        *(When(pk=pk, then=Value(shift.gained - shift.displaced)) for pk, shift in shifts.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    authorities = authorities.annotate(served_population=level_population + correction)
    # An authority whose whole area went to others (every municipality excepted) serves no one.
    displaced = [pk for pk, shift in shifts.items() if shift.displaced]
    return authorities.exclude(pk__in=displaced, served_population__lte=0)


@dataclass
class _Shift:
    displaced: int = 0
    gained: int = 0


def _population_shifts(service: Service) -> dict[int, _Shift]:
    """Per authority, the inhabitants the service's exceptions take away and give to it."""
    default_fk = default_authority_field(service)
    # Not narrowed to `states`: an exception may hand a municipality across a state line,
    # and all of them together are a few dozen rows.
    exceptions = current_exceptions(service)
    shifts: dict[int, _Shift] = defaultdict(_Shift)
    rows = exceptions.values_list(
        "authority_id", f"municipality__{default_fk}_id", "municipality__population"
    )
    for authority_id, default_id, population in rows:
        if authority_id == default_id:
            continue
        shifts[authority_id].gained += population
        if default_id is not None:
            shifts[default_id].displaced += population
    return dict(shifts)


def is_responsible(authority: Authority, service: Service) -> bool:
    """Whether `authority` provides `service` to anyone."""
    return service.pk in responsible_services(authority, [service])


def responsible_services(authority: Authority, services: Iterable[Service]) -> set[int]:
    """The ids of those `services` that `authority` provides to anyone: three queries for any
    number of services (a staff start page asks for the whole catalog)."""
    services = list(services)
    if authority.ended_on is not None or not services:
        return set()
    by_exception = set(
        Responsibility.objects.filter(
            authority=authority, service__in=services, municipality__ended_on__isnull=True
        ).values_list("service_id", flat=True)
    )
    # The municipalities the level rule gives the authority, per level field.
    served: dict[str, set[int]] = {"municipal_authority": set(), "district_authority": set()}
    rows = Municipality.current.filter(
        Q(municipal_authority=authority) | Q(district_authority=authority)
    ).values_list("pk", "municipal_authority_id", "district_authority_id")
    for pk, municipal_id, district_id in rows:
        if municipal_id == authority.pk:
            served["municipal_authority"].add(pk)
        if district_id == authority.pk:
            served["district_authority"].add(pk)
    excepted: dict[int, set[int]] = defaultdict(set)
    all_served = served["municipal_authority"] | served["district_authority"]
    if all_served:
        pairs = Responsibility.objects.filter(
            municipality__in=all_served, service__in=services
        ).values_list("service_id", "municipality_id")
        for service_id, municipality_id in pairs:
            excepted[service_id].add(municipality_id)
    responsible = set(by_exception)
    for service in services:
        if not authority.serves_level(service.level):
            continue
        mine = served[default_authority_field(service)]
        # No territory recorded (an authority entered by hand): the level rule as before.
        if not mine or mine - excepted[service.pk]:
            responsible.add(service.pk)
    return responsible


def responsible_authority_for(service: Service, municipality: Municipality) -> Authority | None:
    """The authority that provides `service` to the people of `municipality` (None if ended)."""
    return responsible_authorities_for([service], municipality)[service.pk]


def responsible_authorities_for(
    services: Iterable[Service], municipality: Municipality
) -> dict[int, Authority | None]:
    """Per service id, the authority that provides it to the people of `municipality`: the
    exception's authority, else the level rule's (None if the municipality ended). One query."""
    services = list(services)
    if municipality.ended_on is not None:
        return {service.pk: None for service in services}
    rows = Responsibility.objects.filter(
        service__in=services, municipality=municipality
    ).select_related("authority")
    by_exception = {row.service_id: row.authority for row in rows}
    return {
        service.pk: by_exception.get(service.pk)
        or getattr(municipality, default_authority_field(service))
        for service in services
    }


def responsible_authority_for_area(service: Service, authority: Authority) -> Authority | None:
    """Who provides `service` where `authority` works (its first municipality), for messages."""
    return responsible_authorities_for_area([service], authority)[service.pk]


def responsible_authorities_for_area(
    services: Iterable[Service], authority: Authority
) -> dict[int, Authority | None]:
    """Per service id, who provides it where `authority` works (its most populous
    municipality): two queries for any number of services."""
    municipality = (
        Municipality.current.filter(
            Q(municipal_authority=authority) | Q(district_authority=authority)
        )
        .select_related("municipal_authority", "district_authority")
        .order_by("-population", "ags")
        .first()
    )
    if municipality is None:
        return {service.pk: None for service in services}
    return responsible_authorities_for(services, municipality)


def legal_basis_for(service: Service, municipality: Municipality) -> str:
    """The legal basis of the responsibility: the exception's, else the state's rule's."""
    row = Responsibility.objects.filter(service=service, municipality=municipality).first()
    if row is not None:
        return row.legal_basis
    rule = ResponsibilityRule.objects.filter(
        state_id=municipality.state_id, service=service, applies_to=ResponsibilityRule.AppliesTo.ALL
    ).first()
    return rule.legal_basis if rule is not None else ""


# --- Deriving the exceptions from the rules ---------------------------------------------------


@dataclass(frozen=True)
class RebuildResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    exceptions: int = 0


class _Place(NamedTuple):
    id: int
    ags: str
    state_id: int
    kind_code: str
    municipal_authority_id: int | None
    district_authority_id: int | None
    municipal_authority_key: str | None


def _resolve_states(states: Iterable[State | str] | None) -> list[State]:
    if states is None:
        return list(State.objects.all())
    items = list(states)
    keys = [item for item in items if isinstance(item, str)]
    objects = [item for item in items if isinstance(item, State)]
    return objects + list(State.objects.filter(ags__in=keys))


def _provider_authority(provider: str, place: _Place) -> int | None:
    if provider == ResponsibilityRule.Provider.MUNICIPAL_LEVEL:
        return place.municipal_authority_id
    if provider == ResponsibilityRule.Provider.DISTRICT_LEVEL:
        return place.district_authority_id
    # OWN: only a municipality with its own administration (not a VG member) can be it.
    if place.municipal_authority_key == place.ags:
        return place.municipal_authority_id
    return None


def _derive(
    place: _Place,
    rules: dict[str, ResponsibilityRule],
    transfer_basis: str | None,
) -> tuple[int, str] | None:
    """(authority id, legal basis) by the first rule that applies and can name an authority."""
    for applies_to in _PRECEDENCE:
        rule = rules.get(applies_to)
        if rule is None:
            continue
        if applies_to == ResponsibilityRule.AppliesTo.TRANSFERRED and transfer_basis is None:
            continue
        if (
            applies_to == ResponsibilityRule.AppliesTo.GROSSE_KREISSTADT
            and place.kind_code != GROSSE_KREISSTADT_KIND_CODE
        ):
            continue
        authority_id = _provider_authority(rule.provider, place)
        if authority_id is None:
            continue
        basis = rule.legal_basis
        if applies_to == ResponsibilityRule.AppliesTo.TRANSFERRED and transfer_basis:
            basis = f"{transfer_basis} ({rule.legal_basis})"
        return authority_id, basis
    return None


def _desired_exceptions(state_list: list[State]) -> dict[tuple[int, int], tuple[int, str]]:
    """(service, municipality) → (authority, legal basis) where the rules leave the level."""
    rules: dict[tuple[int, int], dict[str, ResponsibilityRule]] = defaultdict(dict)
    for rule in ResponsibilityRule.objects.filter(state__in=state_list):
        rules[(rule.state_id, rule.service_id)][rule.applies_to] = rule
    if not rules:
        return {}
    transfers = {
        (service_id, municipality_id): basis
        for service_id, municipality_id, basis in TaskTransfer.objects.filter(
            municipality__state__in=state_list
        ).values_list("service_id", "municipality_id", "legal_basis")
    }
    places = [
        _Place(*row)
        for row in Municipality.current.filter(state__in=state_list).values_list(
            "id",
            "ags",
            "state_id",
            "kind_code",
            "municipal_authority_id",
            "district_authority_id",
            "municipal_authority__key",
        )
    ]
    desired: dict[tuple[int, int], tuple[int, str]] = {}
    for service in Service.objects.filter(responsibility_rules__state__in=state_list).distinct():
        municipal = service.level == Level.MUNICIPAL
        for place in places:
            state_rules = rules.get((place.state_id, service.pk))
            if not state_rules:
                continue
            derived = _derive(place, state_rules, transfers.get((service.pk, place.id)))
            default = place.municipal_authority_id if municipal else place.district_authority_id
            if derived is not None and derived[0] != default:
                desired[(service.pk, place.id)] = derived
    return desired


@transaction.atomic
def responsibility_rebuild(states: Iterable[State | str] | None = None) -> RebuildResult:
    """Derive the rule exceptions of `states` (State objects or AGS keys; None: all) anew.

    Writes only differences, so a second run changes nothing; operators' overrides are left
    alone and win over the rules. Call it after an import, a rule or a new service.
    """
    state_list = _resolve_states(states)
    desired = _desired_exceptions(state_list)
    rows = Responsibility.objects.filter(municipality__state__in=state_list)
    overridden = set(
        rows.filter(source=Responsibility.Source.OVERRIDE).values_list(
            "service_id", "municipality_id"
        )
    )
    existing: dict[tuple[int, int], tuple[int, int, str]] = {
        (service_id, municipality_id): (pk, authority_id, basis)
        for pk, service_id, municipality_id, authority_id, basis in rows.filter(
            source=Responsibility.Source.RULE
        ).values_list("id", "service_id", "municipality_id", "authority_id", "legal_basis")
    }
    to_create: list[Responsibility] = []
    to_update: list[Responsibility] = []
    for key, (authority_id, basis) in desired.items():
        if key in overridden:
            continue
        current = existing.pop(key, None)
        values: dict[str, Any] = {"authority_id": authority_id, "legal_basis": basis}
        if current is None:
            to_create.append(
                Responsibility(
                    service_id=key[0],
                    municipality_id=key[1],
                    source=Responsibility.Source.RULE,
                    **values,
                )
            )
        elif (current[1], current[2]) != (authority_id, basis):
            to_update.append(Responsibility(id=current[0], **values))
    Responsibility.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Responsibility.objects.bulk_update(
        to_update, ["authority", "legal_basis"], batch_size=BATCH_SIZE
    )
    stale = [pk for pk, _authority, _basis in existing.values()]
    for start in range(0, len(stale), BATCH_SIZE):
        Responsibility.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    if to_create or to_update or stale:
        reference_changed()  # bulk writes send no signals (see rollin.apps)
    return RebuildResult(
        created=len(to_create),
        updated=len(to_update),
        deleted=len(stale),
        exceptions=Responsibility.objects.filter(municipality__state__in=state_list).count(),
    )
