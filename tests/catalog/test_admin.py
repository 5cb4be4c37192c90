from __future__ import annotations

from django.urls import reverse


def test_operator_edits_a_service_with_its_costs_inline(client, catalog, admin_user) -> None:
    client.force_login(admin_user)
    service = catalog["ewaffe"]
    changelist = client.get(reverse("admin:catalog_service_changelist"), {"q": "Waffe"})
    assert changelist.status_code == 200
    assert "eWaffe" in changelist.content.decode()
    change = client.get(reverse("admin:catalog_service_change", args=[service.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert "ePayBL: Client-Zertifikat" in html  # cost items inline
    assert 'name="cost_items-0-amount"' in html


def test_reference_data_admin_pages_render(client, catalog, admin_user) -> None:
    client.force_login(admin_user)
    for name in ["fachverfahren", "prerequisite", "fundingprogramme"]:
        response = client.get(reverse(f"admin:catalog_{name}_changelist"))
        assert response.status_code == 200, name
