"""Report pages, exports and API show exactly the independently computed figures."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _row_cells(html: str, first_cell: str) -> dict[str, str]:
    """The data-col cells of the table row whose header cell shows `first_cell`."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        header = re.search(r"<th scope=\"row\">(?:<a [^>]*>)?(.*?)(?:</a>)?</th>", row, re.S)
        if header and header.group(1).strip() == first_cell:
            cells = re.findall(r'data-col="([^"]+)">(.*?)</td>', row, flags=re.S)
            return {key: value.strip() for key, value in cells}
    raise AssertionError(f"no row {first_cell!r}")


def test_service_report_sorts_districts(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
    html = client.get(url + "?sort=-share_population").content.decode()
    table = html.split('data-table="kreise"')[1].split("</tbody>")[0]
    order = re.findall(r"data-col=\"ags\">(\d+)<", table)
    assert order == ["09162", "09273", "09274"]
    html = client.get(url + "?sort=share_population").content.decode()
    table = html.split('data-table="kreise"')[1].split("</tbody>")[0]
    assert re.findall(r"data-col=\"ags\">(\d+)<", table) == ["09274", "09273", "09162"]
    assert 'aria-sort="ascending"' in html


def test_district_report_lists_authorities_and_status(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    html = client.get(reverse("reports:district_report", args=["09273"])).content.decode()
    ew, fs = world.municipal_service, world.district_service
    kelheim = _row_cells(html, "Stadt Kelheim")
    assert kelheim[f"service_{ew.pk}"] == "live"
    assert kelheim[f"service_{fs.pk}"] == "nicht zuständig"
    assert _row_cells(html, "Stadt Abensberg")[f"service_{ew.pk}"].startswith("in Einführung")
    assert _row_cells(html, "Landratsamt Kelheim")[f"service_{fs.pk}"] == "live"


def test_public_summary_needs_no_login(client, world) -> None:
    response = client.get(reverse("reports:public_summary"))
    assert response.status_code == 200
    html = response.content.decode()
    # No drill-down into authorities for the public; an unknown state is a 404.
    assert reverse("reports:district_report", args=["09273"]) not in html
    assert client.get(reverse("reports:public_summary") + "?land=99").status_code == 404


def test_staff_get_403(client, world) -> None:
    staff = factories.UserFactory(email="sachbearbeitung@kelheim.example")
    client.force_login(staff)
    assert client.get(reverse("reports:state_report", args=["09"])).status_code == 403
    assert client.get(reverse("reports:state_overview")).status_code == 403


def test_viewer_of_another_state_gets_404(client, world) -> None:
    viewer = factories.ViewerFactory(email="ministerium@bw.example", states=[world.other_state])
    client.force_login(viewer)
    ew = world.municipal_service.slug
    for url in (
        reverse("reports:state_report", args=["09"]),
        reverse("reports:state_report_pdf", args=["09"]),
        reverse("reports:service_report", args=["09", ew]),
        reverse("reports:district_report", args=["09273"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("reports:state_report", args=["08"])).status_code == 200
    response = client.get(reverse("reports:state_overview"))
    assert response.url == reverse("reports:state_report", args=["08"])


def test_anonymous_is_sent_to_login(client, world) -> None:
    response = client.get(reverse("reports:state_report", args=["09"]))
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_coordinator_and_admin_read_reports(client, world) -> None:
    coordinator = factories.CoordinatorFactory(email="akdb@example.org", states=[world.state])
    client.force_login(coordinator)
    assert client.get(reverse("reports:state_report", args=["09"])).status_code == 200
    admin = factories.AdminFactory(email="betrieb@example.org")
    client.force_login(admin)
    assert client.get(reverse("reports:state_report", args=["08"])).status_code == 200
    chooser = client.get(reverse("reports:state_overview"))
    assert chooser.status_code == 200 and "Baden-Württemberg" in chooser.content.decode()


def test_trend_chart_draws_the_weeks_and_the_target_line(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
    html = client.get(url).content.decode()
    svg = html.split('<svg class="report-chart"')[1].split("</svg>")[0]
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 27  # today and the 26 weeks before, as in the table below
    assert 'data-testid="target-line"' in svg
    assert "Ziellinie: 100 % bis 31.12.2026" in svg
    # The last point is today's share of authorities live: 3 of 6 = 50 %, half the height.
    from reports import charts

    y_last = float(points[-1].split(",")[1])
    assert y_last == charts.TOP + (charts.HEIGHT - charts.TOP - charts.BOTTOM) / 2


def test_chart_of_a_later_year_keeps_the_target_line_inside() -> None:
    import datetime
    from decimal import Decimal

    from reports import charts

    start = datetime.date(2027, 3, 1)
    chart = charts.trend_chart(
        [(start, Decimal(40)), (start + datetime.timedelta(weeks=1), Decimal(50))],
        datetime.date(2026, 12, 31),
    )
    assert chart is not None and chart.target_x is None


@pytest.mark.parametrize("name", ["reports:map_report", "reports:district_report"])
def test_unknown_service_is_explained(client, world, bavaria_viewer, name) -> None:
    client.force_login(bavaria_viewer)
    args = ["09"] if name == "reports:map_report" else ["09273"]
    response = client.get(reverse(name, args=args) + "?service=gibt-es-nicht")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diese Leistung gibt es nicht in den Berichten" in html
    assert '<option value="fuehrerschein" selected>' in html


def test_region_table_and_map_table_sort_by_links(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
    html = client.get(url + "?rsort=-responsible").content.decode()
    body = html.split('data-table="regierungsbezirke"')[1].split("</tbody>")[0]
    assert re.findall(r'<th scope="row">([^<]+)</th>', body) == ["Niederbayern", "Oberbayern"]
    assert 'href="?rsort=responsible#tabelle-regierungsbezirke"' in html
    html = client.get(url + "?rsort=responsible").content.decode()
    body = html.split('data-table="regierungsbezirke"')[1].split("</tbody>")[0]
    assert re.findall(r'<th scope="row">([^<]+)</th>', body) == ["Oberbayern", "Niederbayern"]
    # On the map page the sort links keep the chosen service.
    url = reverse("reports:map_report", args=["09"]) + "?service=ewohnsitz&sort=-share_live"
    html = client.get(url).content.decode()
    assert 'href="?service=ewohnsitz&amp;sort=share_live#tabelle-kreise"' in html
    body = html.split('data-table="kreise"')[1].split("</tbody>")[0]
    assert re.findall(r'data-col="ags">(\d+)<', body) == ["09162", "09273", "09274"]
