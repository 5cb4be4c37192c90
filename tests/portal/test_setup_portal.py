"""`setup_portal`, what `make run` calls after migrate: reference data and demo users."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.management.commands import setup_portal as setup_portal_command
from accounts.models import Role, User
from geo.models import Authority, DataImport, Municipality
from tests.geo import geodata_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def other_apps_commands(monkeypatch) -> list[str]:
    """Record instead of running catalog and roll-in demo commands; their apps test them."""
    called: list[str] = []
    monkeypatch.setattr(
        setup_portal_command.Command, "_call_if_present", lambda self, name: called.append(name)
    )
    return called


@pytest.fixture
def tiny_data_dir(tmp_path, settings):
    settings.DIGITALMARKT_DATA_DIR = geodata_files.write_csv(tmp_path / "de")
    settings.DIGITALMARKT_IMPORT_STATES = ["09"]
    return settings.DIGITALMARKT_DATA_DIR


def setup_portal() -> str:
    out = StringIO()
    call_command("setup_portal", stdout=out)
    return out.getvalue()


def test_setup_imports_reference_data_and_creates_demo_users_of_every_role(
    tiny_data_dir, other_apps_commands
) -> None:
    output = setup_portal()

    assert other_apps_commands == ["load_catalog", "demo_states", "demo_rollin"]
    assert Municipality.objects.count() == 8  # Bavaria only, from the tiny folder
    users = {u.email: u for u in User.objects.prefetch_related("states")}
    # Saarland's demo people come with Saarland's territory (demo_states), not in this folder.
    in_bavaria = [d for d in DEMO_USERS if d.state_ags == "09" and d.authority_code[1:3] != "10"]
    assert set(users) == {d.email for d in in_bavaria}
    assert {u.role for u in users.values()} == set(Role.values)
    staff_authorities = {u.authority.name for u in users.values() if u.role == Role.STAFF}
    assert staff_authorities == {
        "Stadt Aschaffenburg",
        "Stadt Augsburg",
        "Landratsamt Kelheim",
        "Landratsamt Regensburg",
        "Markt Meitingen",
        "Gemeinde Pullach i.Isartal",
    }
    coordinator = users["koordination@demo.digitalmarkt.example"]
    assert [s.ags for s in coordinator.states.all()] == ["09"]
    assert users["admin@demo.digitalmarkt.example"].is_superuser
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(in_bavaria)
    assert authenticate(email="augsburg@demo.digitalmarkt.example", password=DEMO_PASSWORD)
    # The logins are printed with their passwords.
    for demo in in_bavaria:
        assert demo.email in output
    assert DEMO_PASSWORD in output


def test_second_setup_changes_nothing_and_skips_the_import(tiny_data_dir) -> None:
    setup_portal()
    users = list(User.objects.order_by("pk").values_list("pk", "email", "password"))
    authorities = list(Authority.objects.order_by("pk").values())

    output = setup_portal()

    assert "Import übersprungen" in output
    assert DataImport.objects.count() == 1
    assert list(User.objects.order_by("pk").values_list("pk", "email", "password")) == users
    assert list(Authority.objects.order_by("pk").values()) == authorities
    assert "Demo-Benutzer: 0 neu" in output


def test_changed_reference_files_are_imported_again(tiny_data_dir) -> None:
    setup_portal()
    geodata_files.write_csv(
        tiny_data_dir, geodata_files.with_population(geodata_files.GEMEINDEN, "09772177", 12500)
    )

    setup_portal()

    assert Municipality.objects.get(ags="09772177").population == 12500
    assert Authority.objects.get(code="L09772").population == 12500
    assert DataImport.objects.count() == 2


def test_setup_creates_the_broker_folders_a_fresh_clone_lacks(tiny_data_dir, settings, tmp_path):
    queue = tmp_path / "celery" / "queue"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "celery" / "processed"),
    }

    setup_portal()

    assert queue.is_dir()
    assert (tmp_path / "celery" / "processed").is_dir()
