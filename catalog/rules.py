"""Who may order a service from the catalog: one pure rule shared by catalog and orders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import state_closed_message
from catalog.models import Service, ServiceOffering
from catalog.responsibility import responsible_authorities_for_area, responsible_services
from geo.models import Authority, Level

if TYPE_CHECKING:
    from accounts.typing import AnyUser


def service_order_blocker(user: AnyUser, service: Service) -> str | None:
    """Why `user` cannot order `service` for their authority, in German, or None if they can."""
    return service_order_blockers(user, [service])[service.pk]


def service_order_blockers(user: AnyUser, services: Iterable[Service]) -> dict[int, str | None]:
    """service_order_blocker for many services at once, by service id: the same number of
    queries for the whole catalog as for one service."""
    services = list(services)
    refusal = _user_refusal(user)
    if refusal is not None:
        return {service.pk: refusal for service in services}
    authority: Authority | None = getattr(user, "authority", None)
    assert authority is not None  # staff of an authority, as _user_refusal checked
    available = [s for s in services if s.status == Service.Status.AVAILABLE]
    responsible = responsible_services(authority, available)
    mine = [s for s in available if s.pk in responsible]
    others = [s for s in available if s.pk not in responsible]
    offered = _offered_in_state(authority, mine)
    providers = responsible_authorities_for_area(others, authority) if others else {}
    planned = _("Diese Leistung ist noch in Planung und kann noch nicht bestellt werden.")
    blockers: dict[int, str | None] = {}
    for service in services:
        if service.pk in offered:  # available, the authority's: is it offered in the state?
            blockers[service.pk] = offered[service.pk]
        elif service.pk in providers:  # available, another authority's
            blockers[service.pk] = _not_responsible_message(
                authority, service, providers[service.pk]
            )
        else:
            blockers[service.pk] = planned
    return blockers


def _user_refusal(user: AnyUser) -> str | None:
    """Why the user cannot order anything for an authority, or None."""
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um Leistungen für Ihre Behörde zu bestellen.")
    if not getattr(user, "is_authority_staff", False):
        if getattr(user, "role", "") == Role.STAFF:
            return _(
                "Sie sind noch keiner Behörde zugeordnet. Beantragen Sie die Zugehörigkeit zu "
                "Ihrer Behörde; nach der Bestätigung können Sie bestellen."
            )
        return _("Bestellen können nur Mitarbeitende einer Behörde für ihre eigene Behörde.")
    return None


def service_offering_blocker(authority: Authority, service: Service) -> str | None:
    """Why `authority` cannot order `service` in its state (not open, not offered), or None.

    Kept apart from the level rule above: a state is opened, and its offerings entered, by
    catalog.opening.
    """
    return _offered_in_state(authority, [service])[service.pk]


def _offered_in_state(authority: Authority, services: list[Service]) -> dict[int, str | None]:
    state = authority.state
    if not state.is_open:
        return {service.pk: state_closed_message(state) for service in services}
    offered = set(
        ServiceOffering.objects.filter(state=state, service__in=services).values_list(
            "service_id", flat=True
        )
    )
    message = _("Diese Leistung wird in %(state)s nicht angeboten.") % {"state": state.name}
    return {service.pk: None if service.pk in offered else message for service in services}


def _not_responsible_message(
    authority: Authority, service: Service, responsible: Authority | None
) -> str:
    """Who does provide the service where the authority works, so the user knows whom to ask."""
    if authority.ended_on is not None:
        return _(
            "Ihre Behörde ist seit dem Gebietsstand %(date)s für kein Gebiet mehr zuständig; "
            "bitte wenden Sie sich an den Betrieb."
        ) % {"date": date_format(authority.ended_on, "SHORT_DATE_FORMAT")}
    if responsible is not None:
        return _(
            "Ihre Behörde ist für diese Leistung nicht zuständig. Für Ihr Gebiet ist "
            "%(authority)s zuständig."
        ) % {"authority": responsible.name}
    if service.level == Level.DISTRICT:
        return _(
            "Diese Leistung wird von Behörden der Kreisebene bestellt – vom Landratsamt "
            "oder von einer kreisfreien Stadt, nicht von einer Gemeinde."
        )
    return _(
        "Diese Leistung wird von Behörden der Gemeindeebene bestellt – von der Gemeinde "
        "oder Verwaltungsgemeinschaft, nicht vom Landratsamt."
    )
