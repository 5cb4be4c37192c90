"""Readers for the official reference data: the Destatis GV-ISys workbook and the prepared CSVs.

Both readers return the same plain records, so the import logic in `geo.services` does not care
where the data came from and both sources give the same result. A malformed file raises
`GeoDataError` naming the file and the row before anything touches the database.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

# The copy of the reference data the project ships (see its SOURCES.md); settings default to it.
PROJECT_DATA_DIR = Path(__file__).resolve().parent / "data" / "de"
MUNICIPALITIES_CSV = "germany_municipalities.csv"
DISTRICTS_CSV = "germany_districts.csv"
# One line, the date of the CSVs' territory (ISO or DD.MM.YYYY), e.g. "2024-12-31".
GEBIETSSTAND_FILE = "gebietsstand.txt"
WORKBOOK_GLOB = "raw/destatis_AuszugGV4QAktuell_*.xlsx"

# Destatis Textkennzeichen of a Gemeinde (Satzart 60); 65/66 are gemeindefreie Gebiete.
MUNICIPALITY_KINDS = {
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Gemeinde",
    "67": "Große Kreisstadt",
}
UNINHABITED_KINDS = {"65", "66"}
# Textkennzeichen of a Kreis (Satzart 40).
DISTRICT_KINDS = {
    "41": "Kreisfreie Stadt",
    "42": "Stadtkreis",
    "43": "Kreis",
    "44": "Landkreis",
    "45": "Regionalverband",
}
CITY_DISTRICT_KINDS = {"Kreisfreie Stadt", "Stadtkreis"}

_AGS = re.compile(r"^\d{8}$")
_ARS = re.compile(r"^\d{12}$")


class GeoDataError(Exception):
    """A source file that cannot be imported; the message names the file and the row."""

    def __init__(self, path: Path | str, row: int | None, message: str) -> None:
        where = f"{path}, Zeile {row}" if row is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class DistrictRecord:
    ags: str
    name: str
    official_name: str
    kind: str  # Destatis wording: Landkreis, Kreis, Regionalverband, Kreisfreie Stadt, Stadtkreis
    state_ags: str
    region_ags: str  # "" where the state has no Regierungsbezirke

    @property
    def is_city(self) -> bool:
        return self.kind in CITY_DISTRICT_KINDS


@dataclass(frozen=True)
class MunicipalityRecord:
    ags: str
    ars: str
    name: str
    official_name: str
    kind: str
    kind_code: str
    district_ags: str
    association_name: str
    postal_code: str
    population: int
    area_km2: Decimal
    latitude: float | None
    longitude: float | None


@dataclass
class GeoData:
    """Everything one Gebietsstand says about the selected states."""

    source: str
    gebietsstand: datetime.date | None = None  # the date of the territory the source describes
    states: dict[str, str] = field(default_factory=dict)  # ags -> name
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # ags -> (name, state)
    districts: dict[str, DistrictRecord] = field(default_factory=dict)
    municipalities: list[MunicipalityRecord] = field(default_factory=list)


def short_name(official_name: str) -> str:
    """'Essing, M' -> 'Essing': Destatis appends the kind after a comma."""
    return official_name.split(",", 1)[0].strip()


def _wanted(ags: str, states: set[str] | None) -> bool:
    return states is None or ags[:2] in states


def _parse_int(value: object, path: Path, row: int, column: str) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        raise GeoDataError(path, row, f"Spalte {column}: keine ganze Zahl: {text!r}")
    return int(text)


def _parse_decimal(value: object, path: Path, row: int, column: str) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        number = Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        raise GeoDataError(path, row, f"Spalte {column}: keine Zahl: {text!r}") from None
    if not number.is_finite() or number < 0:
        raise GeoDataError(path, row, f"Spalte {column}: keine gültige Zahl: {text!r}")
    return number.quantize(Decimal("0.01"))


def _parse_coordinate(value: object, path: Path, row: int, column: str) -> float | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise GeoDataError(path, row, f"Spalte {column}: keine Koordinate: {text!r}") from None


def _check_keys(ags: str, ars: str, path: Path, row: int) -> None:
    if not ags:
        raise GeoDataError(path, row, "Gemeindeschlüssel (AGS) fehlt")
    if not ars:
        raise GeoDataError(path, row, "Regionalschlüssel (ARS) fehlt")
    if not _AGS.match(ags):
        raise GeoDataError(path, row, f"ungültiger Gemeindeschlüssel (AGS) {ags!r}")
    if not _ARS.match(ars) or ars[:5] != ags[:5] or ars[9:] != ags[5:]:
        raise GeoDataError(path, row, f"Regionalschlüssel (ARS) {ars!r} passt nicht zu {ags}")


# --- CSV ------------------------------------------------------------------------------------

_MUNICIPALITY_COLUMNS = [
    "ags",
    "ars",
    "name",
    "official_name",
    "kind",
    "kind_code",
    "district_ags",
    "state_ags",
    "state_name",
    "municipal_association",
    "postal_code",
    "population",
    "area_km2",
    "lat",
    "lon",
]
_DISTRICT_COLUMNS = [
    "ags",
    "name",
    "official_name",
    "kind",
    "region_ags",
    "region_name",
    "state_ags",
    "state_name",
]


def _csv_rows(path: Path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) per record; a row whose field count differs from the header's is refused.

    Not `csv.DictReader`: it pads a short row with None and files the surplus of a long one
    under the key None, so a cut row would surface as an AttributeError far from its line.
    """
    if not path.is_file():
        raise GeoDataError(path, None, "Datei nicht gefunden")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            missing = [column for column in required if column not in header]
            if missing:
                raise GeoDataError(path, 1, f"Spalte fehlt: {', '.join(missing)}")
            for values in reader:
                if not values:
                    continue  # a blank line is no record, as for csv.DictReader
                if len(values) != len(header):
                    raise GeoDataError(
                        path, reader.line_num, f"{len(values)} statt {len(header)} Felder"
                    )
                yield reader.line_num, dict(zip(header, values, strict=True))
        except csv.Error as error:
            raise GeoDataError(path, reader.line_num, f"kein gültiges CSV ({error})") from None
        except UnicodeDecodeError:
            raise GeoDataError(path, None, "keine UTF-8-Datei") from None


_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def parse_gebietsstand(text: str) -> datetime.date | None:
    """The first date in `text` ("31.12.2024" or "2024-12-31"), None if there is none."""
    match = _DATE.search(text)
    if match is None:
        return None
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        if year:
            return datetime.date(int(year), int(month), int(day))
        return datetime.date(int(iso_year), int(iso_month), int(iso_day))
    except ValueError:
        return None


def read_gebietsstand_file(data_dir: Path) -> datetime.date | None:
    path = data_dir / GEBIETSSTAND_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    date = parse_gebietsstand(text)
    if date is None:
        raise GeoDataError(path, 1, f"kein Datum: {text[:40]!r}")
    return date


def read_csv(data_dir: Path, states: set[str] | None = None) -> GeoData:
    """Read the prepared CSVs (see the data folder's README)."""
    data = GeoData(source="csv", gebietsstand=read_gebietsstand_file(data_dir))
    path = data_dir / DISTRICTS_CSV
    for line, row in _csv_rows(path, _DISTRICT_COLUMNS):
        ags = row["ags"].strip()
        if not ags:
            raise GeoDataError(path, line, "Kreisschlüssel fehlt")
        if not re.fullmatch(r"\d{5}", ags):
            raise GeoDataError(path, line, f"ungültiger Kreisschlüssel {ags!r}")
        if not _wanted(ags, states):
            continue
        kind = row["kind"].strip()
        if kind not in DISTRICT_KINDS.values():
            raise GeoDataError(path, line, f"unbekannte Kreisart {kind!r}")
        region_ags = row["region_ags"].strip()
        data.states[ags[:2]] = row["state_name"].strip()
        if region_ags:
            data.regions[region_ags] = (row["region_name"].strip(), ags[:2])
        data.districts[ags] = DistrictRecord(
            ags=ags,
            name=row["name"].strip(),
            official_name=row["official_name"].strip(),
            kind=kind,
            state_ags=ags[:2],
            region_ags=region_ags,
        )

    path = data_dir / MUNICIPALITIES_CSV
    for line, row in _csv_rows(path, _MUNICIPALITY_COLUMNS):
        ags, ars = row["ags"].strip(), row["ars"].strip()
        _check_keys(ags, ars, path, line)
        if not _wanted(ags, states):
            continue
        if ags[:5] not in data.districts:
            raise GeoDataError(path, line, f"Kreis {ags[:5]} fehlt in {DISTRICTS_CSV}")
        data.municipalities.append(
            MunicipalityRecord(
                ags=ags,
                ars=ars,
                name=row["name"].strip(),
                official_name=row["official_name"].strip(),
                kind=row["kind"].strip(),
                kind_code=row["kind_code"].strip(),
                district_ags=ags[:5],
                association_name=row["municipal_association"].strip(),
                postal_code=row["postal_code"].strip(),
                population=_parse_int(row["population"], path, line, "population"),
                area_km2=_parse_decimal(row["area_km2"], path, line, "area_km2"),
                latitude=_parse_coordinate(row["lat"], path, line, "lat"),
                longitude=_parse_coordinate(row["lon"], path, line, "lon"),
            )
        )
    return data


# --- Destatis workbook ----------------------------------------------------------------------

# Header fragments (lower case, hyphens and line breaks removed) that identify each column, so a
# newer workbook with the same headers but shifted columns still reads correctly.
_TOP_HEADERS = {
    "satzart": "satzart",
    "tkz": "textkennzeichen",
    "name": "gemeindename",
    "area": "fläche",
    "population": "bevölkerung",
    "postal_code": "postleitzahl",
}
_SUB_HEADERS = {
    "land": "land",
    "rb": "rb",
    "kreis": "kreis",
    "vb": "vb",
    "gem": "gem",
    "longitude": "längengrad",
    "latitude": "breitengrad",
}


def _normalise_header(value: object) -> str:
    return re.sub(r"[\s\-]+", "", str(value or "")).lower()


def _find_columns(rows: Sequence[tuple[object, ...]], path: Path) -> tuple[int, dict[str, int]]:
    """Locate the two header rows; return the first data row index and the column map."""
    for index, row in enumerate(rows[:-1]):
        top = [_normalise_header(cell) for cell in row]
        if not top or not top[0].startswith("satzart"):
            continue
        sub = [_normalise_header(cell) for cell in rows[index + 1]]
        columns: dict[str, int] = {}
        for key, fragment in _TOP_HEADERS.items():
            found = [i for i, text in enumerate(top) if text.startswith(fragment)]
            if found:
                columns[key] = found[0]
        for key, fragment in _SUB_HEADERS.items():
            found = [i for i, text in enumerate(sub) if text == fragment]
            if key in {"longitude", "latitude"}:
                found = [i for i, text in enumerate(sub) if text.startswith(fragment)]
            if found:
                columns[key] = found[0]
        if "population" in columns:
            # The population block has sub-columns; the total is "insgesamt".
            totals = [i for i, text in enumerate(sub) if text == "insgesamt"]
            if totals:
                columns["population"] = totals[0]
            else:
                del columns["population"]
        missing = [k for k in [*_TOP_HEADERS, *_SUB_HEADERS] if k not in columns]
        if missing:
            raise GeoDataError(path, index + 1, f"Spalte fehlt: {', '.join(missing)}")
        return index + 2, columns
    raise GeoDataError(path, None, "Kopfzeile mit 'Satzart' nicht gefunden")


def _value(row: tuple[object, ...], column: int) -> object:
    # A row may end before the header does (workbooks saved by other tools drop trailing empty
    # cells): its missing cells read as empty, so the column checks name the row.
    return row[column] if column < len(row) else None


def _cell(row: tuple[object, ...], column: int) -> str:
    value = _value(row, column)
    return "" if value is None else str(value).strip()


def read_workbook(path: Path, states: set[str] | None = None) -> GeoData:
    """Read the Destatis GV-ISys 'AuszugGV…' workbook (the quarterly download)."""
    import openpyxl  # imported here: only operators importing a workbook pay for it

    if not path.is_file():
        raise GeoDataError(path, None, "Datei nicht gefunden")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a broken zip or not a workbook at all
        raise GeoDataError(path, None, f"keine lesbare Excel-Datei ({error})") from error
    try:
        sheet = next(
            (ws for ws in workbook.worksheets if ws.title.lower().startswith("onlineprodukt")),
            workbook.worksheets[-1],
        )
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    start, col = _find_columns(rows, path)
    data = GeoData(source="xlsx", gebietsstand=_workbook_gebietsstand(rows, start, path))
    associations: dict[str, str] = {}
    for index in range(start, len(rows)):
        row, line = rows[index], index + 1
        satzart = _cell(row, col["satzart"])
        if not satzart or (len(satzart) > 3 and not satzart.isdigit()):
            if data.municipalities:
                break  # the blank row and the footnotes after the table
            continue
        land, rb = _cell(row, col["land"]), _cell(row, col["rb"])
        kreis, vb = _cell(row, col["kreis"]), _cell(row, col["vb"])
        name, tkz = _cell(row, col["name"]), _cell(row, col["tkz"])
        if not _wanted(land, states):
            continue
        if satzart == "10":
            data.states[land] = name
        elif satzart == "20":
            data.regions[land + rb] = (name, land)
        elif satzart == "40":
            ags = land + rb + kreis
            if tkz not in DISTRICT_KINDS or not re.fullmatch(r"\d{5}", ags):
                raise GeoDataError(path, line, f"ungültiger Kreis {ags!r} (Kennzeichen {tkz!r})")
            data.districts[ags] = DistrictRecord(
                ags=ags,
                name=short_name(name),
                official_name=name,
                kind=DISTRICT_KINDS[tkz],
                state_ags=land,
                region_ags=land + rb if land + rb in data.regions else "",
            )
        elif satzart == "50":
            associations[land + rb + kreis + vb] = name
        elif satzart == "60" and tkz not in UNINHABITED_KINDS:
            data.municipalities.append(_workbook_municipality(row, col, path, line, associations))
        elif satzart not in {"30", "50", "60"}:
            raise GeoDataError(path, line, f"unbekannte Satzart {satzart!r}")
    for record in data.municipalities:
        if record.district_ags not in data.districts:
            raise GeoDataError(path, None, f"Kreis {record.district_ags} fehlt")
    return data


def _workbook_gebietsstand(
    rows: Sequence[tuple[object, ...]], start: int, path: Path
) -> datetime.date | None:
    """The "Gebietsstand am 31.12.2024" line under the header, else the file name's date."""
    for row in rows[: start + 5]:
        for cell in row:
            if isinstance(cell, str) and "gebietsstand" in cell.lower():
                date = parse_gebietsstand(cell)
                if date is not None:
                    return date
    ddmmyyyy = path.stem[-8:]
    if ddmmyyyy.isdigit():
        return parse_gebietsstand(f"{ddmmyyyy[:2]}.{ddmmyyyy[2:4]}.{ddmmyyyy[4:]}")
    return None


def _workbook_municipality(
    row: tuple[object, ...], col: dict[str, int], path: Path, line: int, associations: dict
) -> MunicipalityRecord:
    land, rb = _cell(row, col["land"]), _cell(row, col["rb"])
    kreis, vb, gem = _cell(row, col["kreis"]), _cell(row, col["vb"]), _cell(row, col["gem"])
    ags, ars = land + rb + kreis + gem, land + rb + kreis + vb + gem
    _check_keys(ags, ars, path, line)
    tkz = _cell(row, col["tkz"])
    if tkz not in MUNICIPALITY_KINDS:
        raise GeoDataError(path, line, f"unbekanntes Textkennzeichen {tkz!r}")
    official_name = _cell(row, col["name"])
    return MunicipalityRecord(
        ags=ags,
        ars=ars,
        name=short_name(official_name),
        official_name=official_name,
        kind=MUNICIPALITY_KINDS[tkz],
        kind_code=tkz,
        district_ags=ags[:5],
        association_name=associations.get(ars[:9], ""),
        postal_code=_cell(row, col["postal_code"]),
        population=_parse_int(_value(row, col["population"]), path, line, "Bevölkerung"),
        area_km2=_parse_decimal(_value(row, col["area"]), path, line, "Fläche"),
        latitude=_parse_coordinate(_value(row, col["latitude"]), path, line, "Breitengrad"),
        longitude=_parse_coordinate(_value(row, col["longitude"]), path, line, "Längengrad"),
    )


def default_workbook(data_dir: Path) -> Path:
    """The newest workbook in <data dir>/raw (file names carry the Gebietsstand)."""

    def gebietsstand(path: Path) -> str:
        ddmmyyyy = path.stem[-8:]
        return ddmmyyyy[4:] + ddmmyyyy[2:4] + ddmmyyyy[:2]

    candidates = sorted(data_dir.glob(WORKBOOK_GLOB), key=gebietsstand)
    if not candidates:
        raise GeoDataError(data_dir / "raw", None, "keine Datei AuszugGV…xlsx gefunden")
    return candidates[-1]
