"""Who provides a service to the people of a municipality: the one question coverage rests on.

Every page that counts responsible authorities, uncovered inhabitants or who may order a
service asks these functions, never the authority's level flags directly, so the answer can
move from a level rule to per-state data without touching its readers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from catalog.models import Service
from geo.models import Authority, Level, State


def _level_q(service: Service) -> Q:
    if service.level == Level.MUNICIPAL:
        return Q(is_municipal_level=True)
    return Q(is_district_level=True)


def responsible_authorities(
    service: Service, states: Iterable[State] | None = None
) -> QuerySet[Authority]:
    """The authorities responsible for `service` somewhere (in `states`, if given).

    Each row carries `served_population`: the inhabitants for whom it provides the service.
    """
    authorities = Authority.objects.filter(_level_q(service))
    if states is not None:
        authorities = authorities.filter(state__in=list(states))
    # Level rule: the authority's own population is what it serves at its level.
    return authorities.annotate(served_population=F("population"))


def is_responsible(authority: Authority, service: Service) -> bool:
    """Whether `authority` provides `service` to anyone."""
    return authority.serves_level(service.level)
