"""The reference data ships with the project, and the importer refuses a damaged copy by name."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from geo.checksums import CHECKSUMS_FILE, data_folder_verify, read_checksums
from geo.importers import (
    DISTRICTS_CSV,
    GEBIETSSTAND_FILE,
    MUNICIPALITIES_CSV,
    PROJECT_DATA_DIR,
)
from geo.models import Authority, DataImport, Municipality
from tests.geo import geodata_files as files

pytestmark = pytest.mark.django_db

# What the portal reads: the importer's CSVs, the report maps' boundaries and the federal map's
# states. Nothing else belongs in the repository's data folder.
READ_BY_THE_PORTAL = {
    MUNICIPALITIES_CSV,
    DISTRICTS_CSV,
    GEBIETSSTAND_FILE,  # the CSVs' date of territory (issue 14)
    "bavaria_districts.geojson",
    "bavaria_municipalities.geojson",
    "germany_districts.geojson",
    "germany_states.geojson",
}


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_geodata", *args, stdout=out)
    return out.getvalue()


def stock() -> tuple[list[tuple[str, str, int]], int, int]:
    municipalities = list(Municipality.objects.values_list("ags", "name", "population"))
    return municipalities, Authority.objects.count(), DataImport.objects.count()


@pytest.mark.skipif(
    "DIGITALMARKT_DATA_DIR" in os.environ, reason="DIGITALMARKT_DATA_DIR points elsewhere"
)
def test_data_dir_defaults_to_the_projects_own_copy() -> None:
    assert Path(django_settings.DIGITALMARKT_DATA_DIR) == PROJECT_DATA_DIR
    assert PROJECT_DATA_DIR.is_relative_to(Path(django_settings.BASE_DIR))


def test_shipped_folder_holds_exactly_the_files_the_portal_reads_and_they_verify() -> None:
    listed = set(read_checksums(PROJECT_DATA_DIR))
    present = {p.name for p in PROJECT_DATA_DIR.iterdir() if p.is_file()}

    assert listed == READ_BY_THE_PORTAL
    assert present == READ_BY_THE_PORTAL | {CHECKSUMS_FILE, "SOURCES.md"}
    data_folder_verify(PROJECT_DATA_DIR, reading=[MUNICIPALITIES_CSV, DISTRICTS_CSV])


def test_corrupted_real_data_file_is_refused_by_name_and_changes_nothing(
    settings,
    tmp_path: Path,
) -> None:
    copy = Path(shutil.copytree(PROJECT_DATA_DIR, tmp_path / "de"))
    settings.DIGITALMARKT_DATA_DIR = copy
    run_import("--states", "09")
    before = stock()
    # A half-copied file: the first half of the bytes, cut in the middle of a row.
    path = copy / MUNICIPALITIES_CSV
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(CommandError) as error:
        run_import("--states", "all")

    message = str(error.value)
    assert "nichts geändert" in message
    assert f"{path}: Prüfsumme stimmt nicht mit SHA256SUMS überein" in message
    assert stock() == before


def _truncate(folder: Path, name: str) -> None:
    path = folder / name
    path.write_bytes(path.read_bytes()[:-40])


def _without_line(name: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        sums = folder / CHECKSUMS_FILE
        lines = sums.read_text().splitlines(keepends=True)
        sums.write_text("".join(line for line in lines if not line.rstrip().endswith(name)))

    return change


@pytest.mark.parametrize(
    ("change", "named", "message"),
    [
        (lambda f: _truncate(f, DISTRICTS_CSV), DISTRICTS_CSV, "Prüfsumme stimmt nicht"),
        # Not imported, but read by the maps: caught at setup, not on a page.
        (lambda f: _truncate(f, "map.geojson"), "map.geojson", "Prüfsumme stimmt nicht"),
        (lambda f: (f / "map.geojson").unlink(), "map.geojson", "Datei fehlt"),
        (_without_line(DISTRICTS_CSV), DISTRICTS_CSV, "nicht in SHA256SUMS verzeichnet"),
        (lambda f: (f / CHECKSUMS_FILE).unlink(), CHECKSUMS_FILE, "Prüfsummendatei fehlt"),
        (
            lambda f: (f / CHECKSUMS_FILE).write_text("kaputt  germany_districts.csv\n"),
            f"{CHECKSUMS_FILE}, Zeile 1",
            "keine Zeile im Format von sha256sum",
        ),
    ],
    ids=["truncated-csv", "truncated-map", "missing-map", "unlisted-csv", "no-list", "bad-list"],
)
def test_damaged_folder_is_refused_by_name_even_when_unchanged_otherwise(
    settings,
    tmp_path: Path,
    change: Callable[[Path], None],
    named: str,
    message: str,
) -> None:
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "map.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    files.write_csv(folder)
    settings.DIGITALMARKT_DATA_DIR = folder
    settings.DIGITALMARKT_IMPORT_STATES = ["all"]
    run_import()
    before = stock()
    change(folder)

    # --if-changed as in setup_portal: a damaged folder must not pass as "already imported".
    with pytest.raises(CommandError, match=message) as error:
        run_import("--if-changed")

    assert f"{folder / named}" in str(error.value)
    assert stock() == before


def test_workbook_import_needs_no_checksum_list(settings, tmp_path: Path) -> None:
    # An operator's fresh Destatis download is read as it is; the list covers the CSV folder.
    settings.DIGITALMARKT_DATA_DIR = tmp_path / "empty"
    workbook = files.write_workbook(tmp_path / "AuszugGV4QAktuell.xlsx")

    output = run_import("--source", "xlsx", "--file", str(workbook), "--states", "09")

    assert "8 Gemeinden" in output.replace(".", "")
    assert Municipality.objects.count() == 8
