"""Opening a further state: one guided flow (page and command), complete before it opens."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoordinatorInvitation, Membership, Role
from accounts.services import coordinator_invitation_accept, membership_request
from catalog import opening
from catalog.models import ServiceOffering
from catalog.rules import service_order_blocker
from geo.models import Authority, State
from portal.models import OutgoingEmail
from tests import factories
from tests.factories_orders import FachverfahrenFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return factories.AdminFactory()


@pytest.fixture
def saarland() -> State:
    """Saarland's territory from the shipped reference data (52 Gemeinden), not open."""
    opening.opening_territory_import(ags="10")
    state = State.objects.get(ags="10")
    assert not state.is_open
    return state


def complete(state: State, operator) -> None:
    service = ServiceFactory(offered_in=[])
    opening.opening_responsibility_confirm(state=state)
    opening.opening_service_offer(
        state=state,
        service=service,
        fachverfahren=service.fachverfahren.all(),
        funding_programme=None,
    )
    opening.opening_contractor_set(state=state, general_contractor="IT-DLZ")
    opening.opening_coordinator_invite(actor=operator, state=state, email="k@saarland.example")
    opening.opening_target_set(
        state=state,
        target_date=timezone.localdate() + datetime.timedelta(days=365),
        target_services=5,
    )


def test_territory_import_creates_the_state_closed(saarland) -> None:
    assert Authority.objects.filter(state=saarland).count() > 52  # Gemeinden and Landratsämter
    steps = {step.key: step.done for step in opening.opening_steps(saarland)}
    assert steps["territory"] is True
    assert steps["responsibility"] is False and steps["services"] is False


def test_a_state_does_not_open_until_complete_and_says_what_is_missing(saarland, operator) -> None:
    with pytest.raises(ValidationError) as error:
        opening.state_open(state=saarland)
    message = " ".join(error.value.messages)
    for label in ("Zuständigkeiten", "Angebotene Leistungen", "Generalunternehmer", "Koordination"):
        assert label in message
    saarland.refresh_from_db()
    assert not saarland.is_open

    complete(saarland, operator)
    assert opening.opening_missing(saarland) == []
    assert opening.state_open(state=saarland).is_open


def test_an_offering_needs_a_fachverfahren(saarland) -> None:
    service = ServiceFactory(offered_in=[])
    with pytest.raises(ValidationError):
        opening.opening_service_offer(
            state=saarland, service=service, fachverfahren=[], funding_programme=None
        )
    assert not ServiceOffering.objects.filter(state=saarland).exists()


def test_authorities_of_a_closed_state_can_neither_join_nor_order(saarland) -> None:
    authority = Authority.objects.filter(state=saarland, is_municipal_level=True).first()
    assert authority is not None
    user = factories.UserFactory()
    with pytest.raises(ValidationError, match="noch nicht für DigitalMarkt eröffnet"):
        membership_request(user=user, authority=authority)
    assert not Membership.objects.exists()
    staff = factories.StaffFactory(authority=authority)
    service = ServiceFactory(offered_in=[saarland])
    assert "noch nicht für DigitalMarkt eröffnet" in (service_order_blocker(staff, service) or "")


def test_a_service_not_offered_in_the_state_cannot_be_ordered() -> None:
    staff = factories.StaffFactory()
    offered = ServiceFactory()
    elsewhere = ServiceFactory(offered_in=[])
    assert service_order_blocker(staff, offered) is None
    assert (
        service_order_blocker(staff, elsewhere) == "Diese Leistung wird in Bayern nicht angeboten."
    )


def test_invited_coordinator_accepts_and_coordinates_only_that_state(saarland, operator) -> None:
    invitation = opening.opening_coordinator_invite(
        actor=operator, state=saarland, email="Koordination@Saarland.example"
    )
    mail = OutgoingEmail.objects.get(template="coordinator_invitation")
    assert mail.recipients == ["koordination@saarland.example"]
    assert invitation.token in mail.text_body
    # The same address again: nothing new, no second e-mail.
    opening.opening_coordinator_invite(
        actor=operator, state=saarland, email="koordination@saarland.example"
    )
    assert CoordinatorInvitation.objects.count() == 1 and OutgoingEmail.objects.count() == 1

    stranger = factories.UserFactory(email="other@saarland.example")
    with pytest.raises(ValidationError):
        coordinator_invitation_accept(token=invitation.token, user=stranger)
    person = factories.UserFactory(email="koordination@saarland.example")
    coordinator_invitation_accept(token=invitation.token, user=person)
    person.refresh_from_db()
    assert person.role == Role.COORDINATOR
    assert list(person.states.values_list("ags", flat=True)) == ["10"]


def test_only_operators_may_invite_coordinators(saarland) -> None:
    coordinator = factories.CoordinatorFactory(states=[saarland])
    with pytest.raises(ValidationError):
        opening.opening_coordinator_invite(actor=coordinator, state=saarland, email="x@y.example")


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff", 403), ("coordinator", 403), ("viewer", 403), ("federal", 403)],
)
def test_opening_pages_are_for_operators_only(client, who, status) -> None:
    users = {
        "staff": factories.StaffFactory,
        "coordinator": factories.CoordinatorFactory,
        "viewer": factories.ViewerFactory,
        "federal": lambda: factories.UserFactory(role=Role.FEDERAL),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    for url in (reverse("opening:list"), reverse("opening:state", args=["10"])):
        assert client.get(url).status_code == status
        assert client.post(url, {"step": "territory"}).status_code == status
    assert not State.objects.filter(ags="10").exists()


def test_operator_opens_a_state_step_by_step_on_the_page(client, operator) -> None:
    client.force_login(operator)
    url = reverse("opening:state", args=["10"])
    page = client.get(url).content.decode()
    assert "Saarland eröffnen" in page and "Gebiet importieren" in page
    assert client.post(url, {"step": "territory"}).status_code == 302
    state = State.objects.get(ags="10")
    # Opening too early: nothing changes, and the message names what is missing.
    response = client.post(url, {"step": "open"}, follow=True)
    assert "Es fehlt: Zuständigkeiten" in response.content.decode()
    state.refresh_from_db()
    assert not state.is_open

    fachverfahren = FachverfahrenFactory()
    service = ServiceFactory(offered_in=[], fachverfahren=[fachverfahren])
    client.post(url, {"step": "responsibility"})
    # Bad input: no Fachverfahren chosen → the form says so, nothing is offered.
    response = client.post(url, {"step": "offering", "offering-service": service.pk})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    assert not ServiceOffering.objects.filter(state=state).exists()
    client.post(
        url,
        {
            "step": "offering",
            "offering-service": service.pk,
            "offering-fachverfahren": [fachverfahren.pk],
        },
    )
    client.post(url, {"step": "contractor", "contractor-general_contractor": "IT-DLZ Saarland"})
    client.post(url, {"step": "coordinator", "coordinator-email": "koordination@saarland.example"})
    client.post(
        url,
        {"step": "target", "target-target_services": 5, "target-target_date": "2027-06-30"},
    )
    response = client.post(url, {"step": "open"}, follow=True)
    state.refresh_from_db()
    assert state.is_open, response.content.decode()
    assert state.general_contractor == "IT-DLZ Saarland"
    assert state.target_date == datetime.date(2027, 6, 30)
    assert "Saarland ist eröffnet" in response.content.decode()


def test_open_state_command_runs_the_same_steps(saarland, operator) -> None:
    service = ServiceFactory(offered_in=[])
    out = io.StringIO()
    call_command("open_state", "10", stdout=out)
    assert "noch nicht eröffnet" in out.getvalue() and "FEHLT" in out.getvalue()
    with pytest.raises(CommandError, match="Es fehlt"):
        call_command("open_state", "10", "--open", stdout=io.StringIO())
    call_command(
        "open_state",
        "10",
        "--actor",
        operator.email,
        "--confirm-responsibility",
        "--offer",
        service.slug,
        "--contractor",
        "IT-DLZ",
        "--coordinator",
        "k@saarland.example",
        "--open",
        stdout=out,
    )
    saarland.refresh_from_db()
    assert saarland.is_open
    assert ServiceOffering.objects.get(state=saarland, service=service).fachverfahren.count() == 1


def test_catalog_shows_where_a_service_is_offered(client, saarland, operator) -> None:
    service = ServiceFactory()  # offered in Bavaria
    complete(saarland, operator)
    opening.state_open(state=saarland)
    opening.opening_service_offer(
        state=saarland,
        service=service,
        fachverfahren=service.fachverfahren.all(),
        funding_programme=None,
    )
    page = client.get(reverse("catalog:service_detail", args=[service.slug])).content.decode()
    offered = page.split('data-testid="offered-in"')[1].split("</ul>")[0]
    assert "Bayern" in offered and "Saarland" in offered


def test_ordering_offers_the_fachverfahren_of_the_states_offering() -> None:
    from orders.services import OrderLine, order_line_errors

    bavaria = factories.StateFactory()
    offered, other = FachverfahrenFactory(), FachverfahrenFactory()
    service = ServiceFactory(fachverfahren=[offered, other], offered_in=[])
    opening.opening_service_offer(
        state=bavaria, service=service, fachverfahren=[offered], funding_programme=None
    )
    staff = factories.StaffFactory()

    def errors(fachverfahren):
        line = OrderLine(
            service=service,
            fachverfahren=fachverfahren,
            fachverfahren_other="",
            contact_name="Erika Mustermann",
            contact_email="erika@example.org",
            contact_phone="0941 1",
            desired_golive=timezone.localdate() + datetime.timedelta(days=90),
            funding_requested=False,
        )
        return order_line_errors(user=staff, line=line)

    assert errors(offered) == {}
    assert "fachverfahren" in errors(other)


def test_the_join_page_of_a_closed_states_authority_says_so_before_the_form(client, saarland):
    authority = Authority.objects.filter(state=saarland).first()
    assert authority is not None
    client.force_login(factories.UserFactory())
    url = reverse("accounts:membership_request", args=[authority.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="state-closed"' in page and "Antrag senden" not in page
    client.post(url, {"message": "Bitte"})
    assert not Membership.objects.exists()
