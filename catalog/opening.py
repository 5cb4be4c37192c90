"""Opening a further state for DigitalMarkt: one guided flow, behind the operators' page and
the `open_state` command alike.

Steps: territory (imported from the reference data), responsibility rules (confirmed; level
defaults until the state's own are entered), services offered with their Fachverfahren and
funding programme, general contractor, first coordinators (invited by e-mail), target date.
A state is open only when every step is complete; until then its authorities can neither
join nor order (accounts.services, catalog.rules). It lives in catalog because the flow needs
the territory (geo), the coordinators (accounts) and the offerings (catalog).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CoordinatorInvitation, Role, User
from accounts.services import coordinator_invite
from catalog.models import Fachverfahren, FundingProgramme, Service, ServiceOffering
from catalog.responsibility import responsibility_rebuild, responsible_authorities
from geo.models import Authority, Municipality, State
from geo.selectors import reference_states
from geo.services import geodata_import_files

if TYPE_CHECKING:
    from geo.services import ImportReport


@dataclass(frozen=True)
class OpeningStep:
    key: str
    label: str
    done: bool
    # What is there when done; what is missing otherwise (shown by the page and the command).
    detail: str


@dataclass(frozen=True)
class ResponsibilityRow:
    service: Service
    responsible: int


def opening_state_get(ags: str) -> State | None:
    """The state row, if its territory has been imported."""
    return State.objects.filter(ags=ags).first()


def opening_reference_name(ags: str) -> str | None:
    """The state's name in the reference data; None for a key that is no state."""
    return next((s.name for s in reference_states() if s.ags == ags), None)


# --- Steps --------------------------------------------------------------------------------


def opening_territory_import(*, ags: str, data_dir: Path | None = None) -> ImportReport | None:
    """Import (or update) the state's municipalities, districts and authorities.

    The same importer as `import_geodata --states <ags>`; unchanged files are skipped.
    """
    if opening_reference_name(ags) is None:
        raise ValidationError(_("Ein Land mit dem Schlüssel %(ags)s gibt es nicht.") % {"ags": ags})
    return geodata_import_files(
        source="csv",
        states=[ags],
        data_dir=data_dir or Path(settings.DIGITALMARKT_DATA_DIR),
        skip_unchanged=True,
    )


def opening_responsibility(state: State) -> list[ResponsibilityRow]:
    """Per available service: the number of authorities responsible for it in the state."""
    return [
        ResponsibilityRow(service, responsible_authorities(service, [state]).count())
        for service in Service.objects.filter(status=Service.Status.AVAILABLE)
    ]


@transaction.atomic
def opening_responsibility_confirm(*, state: State) -> State:
    """The operator confirms the state's responsibility rules (the level defaults for now)."""
    if not Authority.objects.filter(state=state).exists():
        raise ValidationError(_("Bitte importieren Sie zuerst das Gebiet des Landes."))
    # The state's rules as they stand (its own, or the level defaults until they are entered).
    responsibility_rebuild([state])
    state.responsibility_confirmed_at = timezone.now()
    state.save(update_fields=["responsibility_confirmed_at"])
    return state


@transaction.atomic
def opening_service_offer(
    *,
    state: State,
    service: Service,
    fachverfahren: Iterable[Fachverfahren],
    funding_programme: FundingProgramme | None,
) -> ServiceOffering:
    """Offer `service` in `state` with these Fachverfahren and funding (or change them)."""
    chosen = list(fachverfahren)
    if not chosen:
        raise ValidationError(
            {"fachverfahren": _("Bitte wählen Sie mindestens ein Fachverfahren.")}
        )
    if service.status != Service.Status.AVAILABLE:
        raise ValidationError(_("Eine Leistung in Planung kann noch nicht angeboten werden."))
    if funding_programme is not None and funding_programme.state_id not in (None, state.pk):
        raise ValidationError(
            {"funding_programme": _("Dieses Förderprogramm gilt in einem anderen Land.")}
        )
    offering, _created = ServiceOffering.objects.update_or_create(
        state=state, service=service, defaults={"funding_programme": funding_programme}
    )
    offering.fachverfahren.set(chosen)
    return offering


def opening_service_withdraw(*, state: State, service: Service) -> None:
    """Before the opening only: an open state's offerings have orders behind them."""
    if state.is_open:
        raise ValidationError(_("Ein eröffnetes Land behält seine Angebote."))
    ServiceOffering.objects.filter(state=state, service=service).delete()


def opening_contractor_set(*, state: State, general_contractor: str) -> State:
    name = general_contractor.strip()
    if not name:
        raise ValidationError({"general_contractor": _("Bitte nennen Sie den Generalunternehmer.")})
    state.general_contractor = name
    state.save(update_fields=["general_contractor"])
    return state


def opening_coordinator_invite(*, actor: User, state: State, email: str) -> CoordinatorInvitation:
    return coordinator_invite(actor=actor, state=state, email=email)


def opening_target_set(*, state: State, target_date: datetime.date, target_services: int) -> State:
    if target_date < timezone.localdate():
        raise ValidationError({"target_date": _("Das Zieldatum liegt in der Vergangenheit.")})
    if target_services < 1:
        raise ValidationError(
            {"target_services": _("Das Ziel muss mindestens eine Leistung umfassen.")}
        )
    state.target_date = target_date
    state.target_services = target_services
    state.save(update_fields=["target_date", "target_services"])
    return state


# --- Completeness and opening -------------------------------------------------------------


def opening_offerings(state: State) -> list[ServiceOffering]:
    return list(
        ServiceOffering.objects.filter(state=state)
        .select_related("service", "funding_programme")
        .prefetch_related(Prefetch("fachverfahren", queryset=Fachverfahren.objects.all()))
    )


def opening_coordinators(state: State) -> tuple[list[User], list[CoordinatorInvitation]]:
    """The state's coordinators and the invitations not yet accepted."""
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, states=state, is_active=True).order_by("email")
    )
    invitations = list(
        CoordinatorInvitation.objects.filter(state=state, accepted_at__isnull=True).order_by(
            "email"
        )
    )
    return coordinators, invitations


def opening_steps(state: State) -> list[OpeningStep]:
    """Each step of the opening, done or not, with what is there or missing."""
    municipalities = Municipality.objects.filter(state=state).count()
    authorities = Authority.objects.filter(state=state).count()
    offerings = opening_offerings(state)
    without_fachverfahren = [o for o in offerings if not o.fachverfahren.all()]
    coordinators, invitations = opening_coordinators(state)
    today = timezone.localdate()
    return [
        OpeningStep(
            "territory",
            _("Gebiet"),
            municipalities > 0 and authorities > 0,
            _("%(m)s Gemeinden, %(a)s Behörden") % {"m": municipalities, "a": authorities}
            if authorities
            else _("Das Gebiet ist noch nicht importiert."),
        ),
        OpeningStep(
            "responsibility",
            _("Zuständigkeiten"),
            state.responsibility_confirmed_at is not None,
            _("bestätigt") if state.responsibility_confirmed_at else _("noch nicht bestätigt"),
        ),
        OpeningStep(
            "services",
            _("Angebotene Leistungen"),
            bool(offerings) and not without_fachverfahren,
            _("%(n)s Leistungen") % {"n": len(offerings)}
            if offerings and not without_fachverfahren
            else _("Noch keine Leistung angeboten.")
            if not offerings
            else _("Ohne Fachverfahren: %(names)s")
            % {"names": ", ".join(o.service.name for o in without_fachverfahren)},
        ),
        OpeningStep(
            "contractor",
            _("Generalunternehmer"),
            bool(state.general_contractor),
            state.general_contractor or _("noch nicht benannt"),
        ),
        OpeningStep(
            "coordinators",
            _("Koordination"),
            bool(coordinators or invitations),
            _("%(c)s aktiv, %(i)s eingeladen") % {"c": len(coordinators), "i": len(invitations)}
            if coordinators or invitations
            else _("Noch niemand eingeladen."),
        ),
        OpeningStep(
            "target",
            _("Ziel"),
            state.is_open or state.target_date >= today,
            _("%(n)s Leistungen flächendeckend bis %(date)s")
            % {"n": state.target_services, "date": state.target_date.strftime("%d.%m.%Y")},
        ),
    ]


def opening_missing(state: State) -> list[OpeningStep]:
    return [step for step in opening_steps(state) if not step.done]


@transaction.atomic
def state_open(*, state: State) -> State:
    """Open the state once every step is complete; otherwise say what is missing."""
    locked = State.objects.select_for_update().get(pk=state.pk)
    if locked.is_open:
        return locked
    missing = opening_missing(locked)
    if missing:
        raise ValidationError(
            _("Das Land kann noch nicht eröffnet werden. Es fehlt: %(steps)s")
            % {"steps": "; ".join(f"{step.label} ({step.detail})" for step in missing)}
        )
    locked.opened_at = timezone.now()
    locked.save(update_fields=["opened_at"])
    return locked


def states_open() -> list[State]:
    return list(State.objects.filter(opened_at__isnull=False).order_by("ags"))


def service_offered_in(service: Service) -> list[State]:
    """The states where `service` is offered, for the catalog."""
    return list(State.objects.filter(offerings__service=service).order_by("ags"))


def opening_service_offer_from_catalog(*, state: State, service: Service) -> ServiceOffering:
    """Offer with the catalog's compatible Fachverfahren and its funding programme, where that
    programme applies in the state (the command's and the demo's default)."""
    programme = service.funding_programme
    if programme is not None and programme.state_id not in (None, state.pk):
        programme = None
    return opening_service_offer(
        state=state,
        service=service,
        fachverfahren=service.fachverfahren.all(),
        funding_programme=programme,
    )
