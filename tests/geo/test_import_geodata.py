"""The reference-data import: both sources, authorities, idempotence, updates, bad files."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo.importers import PROJECT_DATA_DIR, default_workbook
from geo.models import Authority, District, Municipality, Region, State
from tests.geo import geodata_files as files

pytestmark = pytest.mark.django_db


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_geodata", *args, stdout=out)
    return out.getvalue()


def counts_line(output: str, model: str) -> tuple[int, int, int]:
    line = next(line for line in output.splitlines() if line.startswith(model))
    created, updated, unchanged = (int(n) for n in line.split()[1:])
    return created, updated, unchanged


def snapshot() -> dict[str, tuple[object, ...]]:
    rows: dict[str, tuple[object, ...]] = {}
    for a in Authority.objects.select_related("district", "region", "state"):
        served = sorted(a.municipalities_served.values_list("ags", flat=True))
        rows[a.code] = (a.kind, a.name, a.key, a.population, a.postal_code, a.district.ags,
                        a.is_municipal_level, a.is_district_level, tuple(served))  # fmt: skip
    for m in Municipality.objects.select_related("municipal_authority", "district_authority"):
        rows[m.ags] = (m.name, m.official_name, m.kind, m.population, m.area_km2, m.postal_code,
                       m.latitude, m.longitude, m.association_name,
                       m.municipal_authority.code, m.district_authority.code)  # fmt: skip
    return rows


@pytest.fixture
def data_dir(tmp_path: Path, settings) -> Path:
    folder = files.write_csv(tmp_path / "de")
    files.write_workbook(folder / "raw" / "destatis_AuszugGV4QAktuell_31122024.xlsx")
    settings.DIGITALMARKT_DATA_DIR = folder
    settings.DIGITALMARKT_IMPORT_STATES = ["all"]
    return folder


def test_csv_import_creates_geography_and_one_authority_per_administration(data_dir) -> None:
    output = run_import()

    assert counts_line(output, "Municipality") == (9, 0, 0)
    assert State.objects.count() == 2
    assert Region.objects.count() == 5
    assert District.objects.count() == 7
    assert sorted(Authority.objects.values_list("code", flat=True)) == [
        "G09184139", "G09273137", "G09375165", "G09772177",
        "K01001000", "K09661000", "K09761000",
        "L09184", "L09273", "L09375", "L09772",
        "V092735215",
    ]  # fmt: skip
    vg = Authority.objects.get(code="V092735215")
    assert (vg.kind, vg.name, vg.population) == ("vg", "Verwaltungsgemeinschaft Ihrlerstein", 5481)
    assert vg.is_municipal_level and not vg.is_district_level
    # VG members are served by the VG and are not authorities themselves.
    essing = Municipality.objects.get(name="Essing")
    assert essing.municipal_authority == vg
    assert not Authority.objects.filter(key="09273121").exists()
    kelheim = Authority.objects.get(code="L09273")
    assert (kelheim.name, kelheim.population, kelheim.postal_code) == (
        "Landratsamt Kelheim",
        17094 + 1144 + 4337,
        "93309",
    )
    assert essing.district_authority == kelheim
    augsburg = Authority.objects.get(code="K09761000")
    assert augsburg.is_municipal_level and augsburg.is_district_level
    assert augsburg.name == "Stadt Augsburg"
    assert augsburg.population == 303150
    meitingen = Authority.objects.get(code="G09772177")
    assert (meitingen.name, meitingen.district.ags, meitingen.postal_code) == (
        "Markt Meitingen",
        "09772",
        "86405",
    )
    pullach = Municipality.objects.get(ags="09184139")
    assert pullach.municipal_authority.name == "Gemeinde Pullach i.Isartal"
    assert pullach.district_authority.name == "Landratsamt München"
    assert District.objects.get(ags="09761").kind == District.Kind.KREISFREIE_STADT


def test_state_without_regierungsbezirke_imports_with_empty_region(data_dir) -> None:
    run_import()

    flensburg = District.objects.get(ags="01001")
    assert flensburg.region is None
    assert (flensburg.name, flensburg.official_name) == ("Flensburg", "Flensburg, Stadt")
    assert Authority.objects.get(code="K01001000").region is None


def test_second_run_changes_nothing(data_dir) -> None:
    run_import()
    before = snapshot()

    output = run_import()

    for model in ("State", "Region", "District", "Authority", "Municipality"):
        assert counts_line(output, model)[:2] == (0, 0), model
    assert snapshot() == before


def test_workbook_and_csv_give_the_same_data(data_dir) -> None:
    run_import("--source", "csv")
    from_csv = snapshot()

    output = run_import("--source", "xlsx")

    assert counts_line(output, "Authority") == (0, 0, 12)
    assert counts_line(output, "Municipality") == (0, 0, 9)
    assert snapshot() == from_csv


def test_workbook_into_empty_database(data_dir) -> None:
    output = run_import("--source", "xlsx", "--states", "09")

    assert counts_line(output, "Municipality") == (8, 0, 0)
    assert list(State.objects.values_list("name", flat=True)) == ["Bayern"]
    assert Municipality.objects.get(ags="09273121").kind == "Markt"
    assert Municipality.objects.get(ags="09273121").latitude == pytest.approx(48.933274)


def test_newer_gebietsstand_updates_population_in_place(data_dir, tmp_path) -> None:
    run_import()
    essing_id = Municipality.objects.get(ags="09273121").pk
    newer = files.write_workbook(
        tmp_path / "AuszugGV4QAktuell.xlsx",
        files.with_population(files.GEMEINDEN, "09273121", 1200),
    )

    output = run_import("--source", "xlsx", "--file", str(newer))

    assert counts_line(output, "Municipality") == (0, 1, 8)
    assert counts_line(output, "Authority") == (0, 2, 10)  # the VG and the Landratsamt
    essing = Municipality.objects.get(ags="09273121")
    assert (essing.pk, essing.population) == (essing_id, 1200)
    assert Authority.objects.get(code="V092735215").population == 1200 + 4337
    assert District.objects.get(ags="09273").population == 17094 + 1200 + 4337


def test_state_selection_imports_only_those_states(data_dir) -> None:
    run_import("--states", "09")

    assert list(State.objects.values_list("ags", flat=True)) == ["09"]
    assert not Municipality.objects.filter(ags__startswith="01").exists()


def test_invalid_state_selection_is_refused(data_dir) -> None:
    with pytest.raises(CommandError, match="Länderschlüssel"):
        run_import("--states", "9")


def _rewrite_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = list(rows[0])
    rows, fieldnames = change(rows, fieldnames)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    # A file rebuilt badly but listed correctly: it must reach the row checks, not the checksum.
    files.write_checksums(path.parent)


def _assert_unchanged_after(before: dict) -> None:
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows, f: (rows, [c for c in f if c != "population"]), r"Zeile 1: Spalte fehlt"),
        (
            lambda rows, f: (
                [{**r, "ags": "9273121"} if r["name"] == "Essing" else r for r in rows],
                f,
            ),
            r"Zeile 5: ungültiger Gemeindeschlüssel",
        ),
        (
            lambda rows, f: (
                [{**r, "population": "viele"} if r["name"] == "Essing" else r for r in rows],
                f,
            ),
            r"Zeile 5: Spalte population: keine ganze Zahl",
        ),
    ],
    ids=["missing-column", "bad-ags", "non-numeric-population"],
)
def test_malformed_csv_names_file_and_row_and_changes_nothing(data_dir, change, message) -> None:
    run_import()
    before = snapshot()
    _rewrite_csv(data_dir / "germany_municipalities.csv", change)

    with pytest.raises(CommandError, match=message) as error:
        run_import()

    assert "germany_municipalities.csv" in str(error.value)
    assert snapshot() == before


def test_malformed_workbook_names_the_row_and_changes_nothing(data_dir, tmp_path) -> None:
    run_import()
    before = snapshot()
    path = files.write_workbook(tmp_path / "broken.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Onlineprodukt_Gemeinden31122024"]
    bad_row = next(row[0].row for row in sheet.iter_rows() if row[7].value == "Essing, M")
    assert bad_row is not None
    sheet.cell(row=bad_row, column=10, value="k. A.")
    book.save(path)

    with pytest.raises(CommandError, match=rf"broken.xlsx, Zeile {bad_row}: Spalte Bevölkerung"):
        run_import("--source", "xlsx", "--file", str(path))

    assert snapshot() == before


def test_workbook_without_population_column_is_refused(data_dir, tmp_path) -> None:
    path = files.write_workbook(tmp_path / "old.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Onlineprodukt_Gemeinden31122024"].cell(row=4, column=10, value="gesamt")
    book.save(path)

    with pytest.raises(CommandError, match=r"old.xlsx, Zeile 3: Spalte fehlt: population"):
        run_import("--source", "xlsx", "--file", str(path))
    assert not Municipality.objects.exists()


def test_default_workbook_is_the_newest_gebietsstand(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for stamp in ("31122024", "30092025", "31032025"):
        (raw / f"destatis_AuszugGV4QAktuell_{stamp}.xlsx").touch()

    assert default_workbook(tmp_path).name == "destatis_AuszugGV4QAktuell_30092025.xlsx"


# The project's own copy: tests and CI always run against it (it ships with the repository).
# The official workbook is the operator's download, not shipped; put it into `raw/` there
# (ignored by git) to compare both sources on the real data.
REAL_DATA = PROJECT_DATA_DIR

needs_real_workbook = pytest.mark.skipif(
    not list(REAL_DATA.glob("raw/destatis_AuszugGV4QAktuell_*.xlsx")),
    reason=f"no Destatis workbook in {REAL_DATA / 'raw'} (not shipped; see the README)",
)


@pytest.mark.parametrize("source", ["csv", pytest.param("xlsx", marks=needs_real_workbook)])
def test_real_bavarian_counts(settings, source) -> None:
    settings.DIGITALMARKT_DATA_DIR = REAL_DATA
    output = run_import("--source", source, "--states", "09")

    assert "Bestand: 1 Land, 7 Regierungsbezirke, 96 Kreise" in output
    assert "2.056 Gemeinden mit 13.435.062 Einwohnern, 1.456 Behörden" in output

    assert State.objects.count() == 1
    assert Region.objects.count() == 7
    assert District.objects.filter(kind=District.Kind.LANDKREIS).count() == 71
    assert District.objects.filter(kind=District.Kind.KREISFREIE_STADT).count() == 25
    assert Municipality.objects.count() == 2056
    assert sum(Municipality.objects.values_list("population", flat=True)) == 13_435_062
    kinds = {kind: Authority.objects.filter(kind=kind).count() for kind in Authority.Kind.values}
    assert kinds == {"gemeinde": 1049, "vg": 311, "landratsamt": 71, "kreisfreie_stadt": 25}
    # Each level covers the whole state exactly once.
    municipal = Authority.objects.filter(is_municipal_level=True)
    district = Authority.objects.filter(is_district_level=True)
    assert sum(municipal.values_list("population", flat=True)) == 13_435_062
    assert sum(district.values_list("population", flat=True)) == 13_435_062


def test_real_german_counts_and_a_second_run_changes_nothing(settings) -> None:
    settings.DIGITALMARKT_DATA_DIR = REAL_DATA
    run_import("--states", "all")

    assert State.objects.count() == 16
    assert District.objects.count() == 400
    assert Municipality.objects.count() == 10_752
    assert Authority.objects.count() == 4_683
    output = run_import("--states", "all")
    for model in ("State", "Region", "District", "Authority", "Municipality"):
        assert counts_line(output, model)[:2] == (0, 0), model


def _cut_row(path: Path, row: int, fields: int | None = None, extra: int = 0) -> None:
    """Rewrite one line of a CSV file cut to `fields` fields, or with `extra` fields added."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    values = next(csv.reader([lines[row - 1]]))
    values = values[:fields] if fields is not None else values + ["x"] * extra
    out = StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    lines[row - 1] = out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    files.write_checksums(path.parent)


@pytest.mark.parametrize(
    ("filename", "cut", "message"),
    [
        ("germany_municipalities.csv", {"fields": 5}, r"Zeile 5: 5 statt 22 Felder"),
        ("germany_municipalities.csv", {"fields": 18}, r"Zeile 5: 18 statt 22 Felder"),
        ("germany_municipalities.csv", {"extra": 2}, r"Zeile 5: 24 statt 22 Felder"),
        ("germany_districts.csv", {"fields": 5}, r"Zeile 4: 5 statt 11 Felder"),
        ("germany_districts.csv", {"extra": 1}, r"Zeile 4: 12 statt 11 Felder"),
    ],
    ids=["municipality-5", "municipality-18", "municipality-24", "district-5", "district-12"],
)
def test_row_with_wrong_number_of_fields_names_file_and_row_and_changes_nothing(
    data_dir, filename, cut, message
) -> None:
    run_import()
    before = snapshot()
    _cut_row(data_dir / filename, 5 if filename.startswith("germany_m") else 4, **cut)

    with pytest.raises(CommandError, match=message) as error:
        run_import()

    assert f"{data_dir / filename}, Zeile" in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("filename", "column", "message"),
    [
        ("germany_municipalities.csv", "ags", r"Zeile 5: Gemeindeschlüssel \(AGS\) fehlt"),
        ("germany_municipalities.csv", "ars", r"Zeile 5: Regionalschlüssel \(ARS\) fehlt"),
        ("germany_districts.csv", "ags", r"Zeile 4: Kreisschlüssel fehlt"),
    ],
    ids=["municipality-ags", "municipality-ars", "district-ags"],
)
def test_row_with_empty_key_names_file_and_row_and_changes_nothing(
    data_dir, filename, column, message
) -> None:
    run_import()
    before = snapshot()
    row = 5 if filename.startswith("germany_m") else 4

    def empty_key(rows, fieldnames):
        rows[row - 2][column] = ""
        return rows, fieldnames

    _rewrite_csv(data_dir / filename, empty_key)

    with pytest.raises(CommandError, match=message) as error:
        run_import()

    assert f"{data_dir / filename}, Zeile {row}" in str(error.value)
    assert snapshot() == before


def test_workbook_row_cut_short_names_the_row_and_changes_nothing(data_dir, tmp_path) -> None:
    run_import()
    before = snapshot()
    path = files.write_workbook(tmp_path / "cut.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Onlineprodukt_Gemeinden31122024"]
    bad_row = next(row[0].row for row in sheet.iter_rows() if row[7].value == "Essing, M")
    assert bad_row is not None
    for column in range(9, sheet.max_column + 1):  # everything after the name is missing
        sheet.cell(row=bad_row, column=column).value = None  # cell(value=None) keeps the value
    book.save(path)

    with pytest.raises(CommandError, match=rf"cut.xlsx, Zeile {bad_row}: Spalte Bevölkerung"):
        run_import("--source", "xlsx", "--file", str(path))

    assert snapshot() == before
