"""Who may order a service from the catalog: one pure rule shared by catalog and orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import state_closed_message
from catalog.models import Service, ServiceOffering
from catalog.responsibility import is_responsible, responsible_authority_for_area
from geo.models import Authority, Level

if TYPE_CHECKING:
    from accounts.typing import AnyUser


def service_order_blocker(user: AnyUser, service: Service) -> str | None:
    """Why `user` cannot order `service` for their authority, in German, or None if they can."""
    if not user.is_authenticated:
        return _("Bitte melden Sie sich an, um Leistungen für Ihre Behörde zu bestellen.")
    if not getattr(user, "is_authority_staff", False):
        if getattr(user, "role", "") == Role.STAFF:
            return _(
                "Sie sind noch keiner Behörde zugeordnet. Beantragen Sie die Zugehörigkeit zu "
                "Ihrer Behörde; nach der Bestätigung können Sie bestellen."
            )
        return _("Bestellen können nur Mitarbeitende einer Behörde für ihre eigene Behörde.")
    if service.status != Service.Status.AVAILABLE:
        return _("Diese Leistung ist noch in Planung und kann noch nicht bestellt werden.")
    # is_authority_staff, checked above, means the user has an authority.
    assert user.authority is not None
    if not is_responsible(user.authority, service):
        return _not_responsible_message(user.authority, service)
    return service_offering_blocker(user.authority, service)


def service_offering_blocker(authority: Authority, service: Service) -> str | None:
    """Why `authority` cannot order `service` in its state (not open, not offered), or None.

    Kept apart from the level rule above: a state is opened, and its offerings entered, by
    catalog.opening.
    """
    state = authority.state
    if not state.is_open:
        return state_closed_message(state)
    if not ServiceOffering.objects.filter(state=state, service=service).exists():
        return _("Diese Leistung wird in %(state)s nicht angeboten.") % {"state": state.name}
    return None


def _not_responsible_message(authority: Authority, service: Service) -> str:
    """Who does provide the service where the authority works, so the user knows whom to ask."""
    if authority.ended_on is not None:
        return _(
            "Ihre Behörde ist seit dem Gebietsstand %(date)s für kein Gebiet mehr zuständig; "
            "bitte wenden Sie sich an den Betrieb."
        ) % {"date": date_format(authority.ended_on, "SHORT_DATE_FORMAT")}
    responsible = responsible_authority_for_area(service, authority)
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
