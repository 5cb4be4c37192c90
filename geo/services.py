"""Writes to the geography: importing a Gebietsstand and deriving the authorities from it.

The import compares what the source says with what the database holds, row by row on the
official keys, and writes only the differences with bulk statements in one transaction — so a
second run of the same files changes nothing and a newer Gebietsstand updates names and
populations in place. Authorities are never deleted: staff and orders point at them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from geo.checksums import data_folder_verify
from geo.importers import (
    DISTRICTS_CSV,
    GEBIETSSTAND_FILE,
    MUNICIPALITIES_CSV,
    DistrictRecord,
    GeoData,
    GeoDataError,
    MunicipalityRecord,
    default_workbook,
    read_csv,
    read_workbook,
)
from geo.models import Authority, DataImport, District, Municipality, Region, State

BATCH_SIZE = 500
Progress = Callable[[str], None]
# Called inside the import's transaction with the imported state keys. The layers above
# register here (catalog: derive the responsibilities anew), since geo may not import them.
ImportListener = Callable[[list[str]], object]
_import_listeners: list[ImportListener] = []


def geodata_import_listener_add(listener: ImportListener) -> None:
    if listener not in _import_listeners:
        _import_listeners.append(listener)


def geodata_import_listeners_call(state_keys: list[str]) -> None:
    """Tell the layers above which states an import changed (inside its transaction)."""
    for listener in _import_listeners:
        listener(state_keys)


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class EndedMunicipality:
    ags: str
    name: str
    population: int
    successor: str  # "AGS Name" of the suggested successor, or ""


@dataclass
class ImportReport:
    counts: dict[str, SyncCounts] = field(default_factory=dict)
    gebietsstand: datetime.date | None = None
    ended: list[EndedMunicipality] = field(default_factory=list)
    ended_authorities: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.ended) or any(c.created or c.updated for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(c).copy() for name, c in self.counts.items()}


@dataclass(frozen=True)
class AuthorityPlan:
    """What one authority should look like; FKs as keys, resolved to ids when written."""

    code: str
    key: str
    kind: str
    name: str
    district_ags: str
    is_municipal_level: bool
    is_district_level: bool
    population: int
    postal_code: str


def files_digest(paths: Iterable[Path], *, extra: str = "") -> str:
    """SHA-256 over the source files (and the selection), to recognise an unchanged import."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


# --- Authorities ----------------------------------------------------------------------------


def _is_association(members: list[MunicipalityRecord]) -> bool:
    # ARS digits 6-9 are the Gemeindeverband; a verbandsfreie Gemeinde has "0" + its own
    # number there and is alone in it (this matches Destatis Textkennzeichen 50 exactly).
    return len(members) > 1 or members[0].ars[5] != "0"


def _association_name(name: str) -> str:
    if name.endswith("(VGem)"):
        return f"Verwaltungsgemeinschaft {name.removesuffix('(VGem)').strip()}"
    return name


def _gemeinde_name(record: MunicipalityRecord) -> str:
    prefix = {"Markt": "Markt", "Gemeinde": "Gemeinde"}.get(record.kind, "Stadt")
    return f"{prefix} {record.name}"


def _seat_postal_code(members: list[MunicipalityRecord], seat_name: str) -> str:
    for record in members:
        if record.name and seat_name.startswith(record.name):
            return record.postal_code
    return ""


def authorities_plan(data: GeoData) -> tuple[list[AuthorityPlan], dict[str, tuple[str, str]]]:
    """The authorities of a Gebietsstand and, per municipality AGS, (municipal, district) code."""
    plans: list[AuthorityPlan] = []
    served: dict[str, tuple[str, str]] = {}
    by_district: dict[str, list[MunicipalityRecord]] = defaultdict(list)
    for record in data.municipalities:
        by_district[record.district_ags].append(record)

    for district_ags, members in sorted(by_district.items()):
        district = data.districts[district_ags]
        if district.is_city:
            for record in members:  # in practice exactly one
                code = f"K{record.ags}"
                plans.append(_city_plan(code, record, district))
                served[record.ags] = (code, code)
            continue
        district_code = f"L{district_ags}"
        plans.append(_landratsamt_plan(district_code, district, members))
        groups: dict[str, list[MunicipalityRecord]] = defaultdict(list)
        for record in members:
            groups[record.ars[:9]].append(record)
        for ars9, group in sorted(groups.items()):
            if _is_association(group):
                code = f"V{ars9}"
                name = _association_name(group[0].association_name or ars9)
                plans.append(
                    AuthorityPlan(
                        code=code,
                        key=ars9,
                        kind=Authority.Kind.VERWALTUNGSGEMEINSCHAFT,
                        name=name,
                        district_ags=district_ags,
                        is_municipal_level=True,
                        is_district_level=False,
                        population=sum(r.population for r in group),
                        postal_code=_seat_postal_code(group, group[0].association_name)
                        or group[0].postal_code,
                    )
                )
            else:
                record = group[0]
                code = f"G{record.ags}"
                plans.append(
                    AuthorityPlan(
                        code=code,
                        key=record.ags,
                        kind=Authority.Kind.GEMEINDE,
                        name=_gemeinde_name(record),
                        district_ags=district_ags,
                        is_municipal_level=True,
                        is_district_level=False,
                        population=record.population,
                        postal_code=record.postal_code,
                    )
                )
            for record in group:
                served[record.ags] = (code, district_code)
    return plans, served


def _city_plan(code: str, record: MunicipalityRecord, district: DistrictRecord) -> AuthorityPlan:
    return AuthorityPlan(
        code=code,
        key=record.ags,
        kind=Authority.Kind.KREISFREIE_STADT,
        name=f"Stadt {district.name}",
        district_ags=district.ags,
        is_municipal_level=True,
        is_district_level=True,
        population=record.population,
        postal_code=record.postal_code,
    )


def _landratsamt_plan(
    code: str, district: DistrictRecord, members: list[MunicipalityRecord]
) -> AuthorityPlan:
    title = "Regionalverband" if district.kind == "Regionalverband" else "Landratsamt"
    return AuthorityPlan(
        code=code,
        key=district.ags,
        kind=Authority.Kind.LANDRATSAMT,
        name=f"{title} {district.name}",
        district_ags=district.ags,
        is_municipal_level=False,
        is_district_level=True,
        population=sum(r.population for r in members),
        postal_code=_seat_postal_code(members, district.name),
    )


# --- Generic sync ---------------------------------------------------------------------------


# The geography models _sync writes: each has its default `objects` manager.
_GeoModel = TypeVar("_GeoModel", State, Region, District, Authority, Municipality)


def _sync(
    model: type[_GeoModel],
    key_field: str,
    desired: dict[str, dict[str, Any]],
    counts: SyncCounts,
) -> dict[str, int]:
    """Create missing rows, update differing ones; return key -> id for all desired rows."""
    fields = sorted({name for values in desired.values() for name in values})
    # All rows, not `key__in` the desired ones: SQLite caps the number of query parameters.
    existing = {row[key_field]: row for row in model.objects.values("id", key_field, *fields)}
    to_create, to_update = [], []
    for key, values in desired.items():
        current = existing.get(key)
        if current is None:
            to_create.append(model(**{key_field: key}, **values))
        elif any(current[name] != value for name, value in values.items()):
            to_update.append(model(id=current["id"], **{key_field: key}, **values))
    for start in range(0, len(to_create), BATCH_SIZE):
        model.objects.bulk_create(to_create[start : start + BATCH_SIZE])
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(desired) - len(to_create) - len(to_update)
    ids = dict(model.objects.values_list(key_field, "id"))
    return {key: ids[key] for key in desired}


# --- The import -----------------------------------------------------------------------------


def geodata_import(
    *,
    data: GeoData,
    states_label: str,
    digest: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Bring State, Region, District, Authority and Municipality in line with `data`."""
    say = progress or (lambda message: None)
    report = ImportReport(
        counts={
            name: SyncCounts()
            for name in ("State", "Region", "District", "Authority", "Municipality")
        }
    )
    plans, served = authorities_plan(data)
    population_by_district: dict[str, int] = defaultdict(int)
    area_by_district: dict[str, Any] = defaultdict(int)
    for record in data.municipalities:
        population_by_district[record.district_ags] += record.population
        area_by_district[record.district_ags] += record.area_km2

    with transaction.atomic():
        populations_before = dict(Municipality.objects.values_list("ags", "population"))
        say(f"Bundesländer: {len(data.states)}")
        state_ids = _sync(
            State,
            "ags",
            {ags: {"name": n} for ags, n in data.states.items()},
            report.counts["State"],
        )
        say(f"Regierungsbezirke: {len(data.regions)}")
        region_ids = _sync(
            Region,
            "ags",
            {ags: {"name": n, "state_id": state_ids[s]} for ags, (n, s) in data.regions.items()},
            report.counts["Region"],
        )
        say(f"Kreise: {len(data.districts)}")
        district_ids = _sync(
            District,
            "ags",
            {
                d.ags: {
                    "name": d.name,
                    "official_name": d.official_name,
                    "kind": District.Kind.KREISFREIE_STADT
                    if d.is_city
                    else District.Kind.LANDKREIS,
                    "state_id": state_ids[d.state_ags],
                    "region_id": region_ids.get(d.region_ags),
                    "population": population_by_district[d.ags],
                    "area_km2": area_by_district[d.ags],
                }
                for d in data.districts.values()
            },
            report.counts["District"],
        )
        say(f"Behörden: {len(plans)}")
        authority_ids = _sync(
            Authority,
            "code",
            {
                plan.code: _authority_values(plan, data, state_ids, region_ids, district_ids)
                for plan in plans
            },
            report.counts["Authority"],
        )
        say(f"Gemeinden: {len(data.municipalities)}")
        _sync(
            Municipality,
            "ags",
            {
                r.ags: _municipality_values(r, state_ids, district_ids, authority_ids, served)
                for r in data.municipalities
            },
            report.counts["Municipality"],
        )
        report.gebietsstand = data.gebietsstand
        report.ended = _municipalities_end(data, populations_before)
        report.ended_authorities = _authorities_end(data, {plan.code for plan in plans})
        geodata_import_listeners_call(sorted(data.states))
        if digest:
            DataImport.objects.create(
                source=data.source,
                states=states_label,
                digest=digest,
                counts=report.as_dict(),
                gebietsstand=data.gebietsstand,
            )
    return report


def _municipalities_end(
    data: GeoData, populations_before: dict[str, int]
) -> list[EndedMunicipality]:
    """End the municipalities of the imported states that the source no longer has.

    Kept, not deleted: orders and users refer to them through their authority. The successor
    suggested is the municipality of the same district whose population grew most with this
    import (where a merged one's inhabitants went); operators correct it in the admin.
    """
    present = {record.ags: record for record in data.municipalities}
    # All current rows, filtered here: SQLite caps the number of query parameters.
    missing = [
        row
        for row in Municipality.current.filter(state__ags__in=list(data.states)).values_list(
            "id", "ags", "name", "population", "district__ags"
        )
        if row[1] not in present
    ]
    if not missing:
        return []
    if data.gebietsstand is None:
        raise GeoDataError(
            data.source,
            None,
            f"{len(missing)} Gemeinden fehlen in der Quelle (z. B. {missing[0][1]} "
            f"{missing[0][2]}), aber ihr Gebietsstand ist unbekannt; geben Sie ihn mit "
            "--gebietsstand JJJJ-MM-TT an.",
        )
    ended = []
    for pk, ags, name, population, district_ags in missing:
        growth = {
            record.ags: record.population - populations_before.get(record.ags, record.population)
            for record in data.municipalities
            if record.district_ags == district_ags
        }
        grown = max(growth, key=lambda key: growth[key], default=None)
        successor = present[grown] if grown is not None and growth[grown] > 0 else None
        Municipality.objects.filter(pk=pk).update(
            ended_on=data.gebietsstand,
            successor=Municipality.objects.filter(ags=successor.ags).first() if successor else None,
        )
        ended.append(
            EndedMunicipality(
                ags=ags,
                name=name,
                population=population,
                successor=f"{successor.ags} {successor.name}" if successor else "",
            )
        )
    return ended


def _authorities_end(data: GeoData, planned_codes: set[str]) -> list[str]:
    """End the authorities of the imported states that serve no municipality of the source."""
    gone = [
        (pk, name)
        for pk, code, name in Authority.objects.filter(
            state__ags__in=list(data.states), ended_on__isnull=True
        ).values_list("id", "code", "name")
        if code not in planned_codes
    ]
    if gone:
        Authority.objects.filter(pk__in=[pk for pk, _name in gone]).update(
            ended_on=data.gebietsstand
        )
    return [name for _pk, name in gone]


def _authority_values(
    plan: AuthorityPlan,
    data: GeoData,
    state_ids: dict[str, int],
    region_ids: dict[str, int],
    district_ids: dict[str, int],
) -> dict[str, Any]:
    district = data.districts[plan.district_ags]
    return {
        "key": plan.key,
        "kind": plan.kind,
        "name": plan.name,
        "state_id": state_ids[district.state_ags],
        "region_id": region_ids.get(district.region_ags),
        "district_id": district_ids[plan.district_ags],
        "is_municipal_level": plan.is_municipal_level,
        "is_district_level": plan.is_district_level,
        "population": plan.population,
        "postal_code": plan.postal_code,
        "ended_on": None,  # back in the source (a merger undone): responsible again
    }


def _municipality_values(
    record: MunicipalityRecord,
    state_ids: dict[str, int],
    district_ids: dict[str, int],
    authority_ids: dict[str, int],
    served: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    municipal_code, district_code = served[record.ags]
    return {
        "ars": record.ars,
        "name": record.name,
        "official_name": record.official_name,
        "kind": record.kind,
        "kind_code": record.kind_code,
        "state_id": state_ids[record.ags[:2]],
        "district_id": district_ids[record.district_ags],
        "association_name": record.association_name,
        "postal_code": record.postal_code,
        "population": record.population,
        "area_km2": record.area_km2,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "municipal_authority_id": authority_ids[municipal_code],
        "district_authority_id": authority_ids[district_code],
        "ended_on": None,
    }


def geodata_import_files(
    *,
    source: str,
    states: list[str] | None,
    data_dir: Path,
    path: Path | None = None,
    skip_unchanged: bool = False,
    progress: Progress | None = None,
    gebietsstand: datetime.date | None = None,
) -> ImportReport | None:
    """Read the source files and import them; None if skipped because nothing changed.

    `states` are two-digit AGS prefixes, None means all of Germany. Raises
    `geo.importers.GeoDataError` on a malformed file, and for the CSV folder on a file that does
    not match its SHA256SUMS, before anything is written.
    """
    selection = set(states) if states else None
    label = ",".join(sorted(selection)) if selection else "all"
    if source == "xlsx":
        workbook = path or default_workbook(data_dir)
        files = [workbook]
    else:
        csv_dir = path or data_dir
        files = [csv_dir / MUNICIPALITIES_CSV, csv_dir / DISTRICTS_CSV]
        if (csv_dir / GEBIETSSTAND_FILE).is_file():
            files.append(csv_dir / GEBIETSSTAND_FILE)
        # Before the digest and the skip: an unchanged but corrupted folder must not pass as
        # "already imported" either. A workbook is the operator's own download and has no list.
        data_folder_verify(csv_dir, reading=[f.name for f in files])
    say = progress or (lambda message: None)
    digest = ""
    if all(f.is_file() for f in files):
        digest = files_digest(files, extra=f"{source}:{label}:{gebietsstand or ''}")
        if skip_unchanged and _already_imported(digest, selection):
            say("Referenzdaten unverändert, Import übersprungen.")
            return None
    say(f"Lese {', '.join(str(f) for f in files)} …")
    data = read_workbook(files[0], selection) if source == "xlsx" else read_csv(csv_dir, selection)
    if gebietsstand is not None:
        data.gebietsstand = gebietsstand
    if data.gebietsstand:
        say(f"Gebietsstand: {data.gebietsstand:%d.%m.%Y}")
    return geodata_import(data=data, states_label=label, digest=digest, progress=say)


def _already_imported(digest: str, selection: set[str] | None) -> bool:
    # The newest import of the same selection: importing a further state (opening it) must not
    # make the next start re-import the first one.
    label = ",".join(sorted(selection)) if selection else "all"
    last = DataImport.objects.filter(states=label).first()  # newest first
    if last is None or last.digest != digest:
        return False
    expected: int = sum(last.counts.get("Municipality", {}).values())
    municipalities = Municipality.current.all()
    if selection:
        municipalities = municipalities.filter(state__ags__in=selection)
    return expected > 0 and municipalities.count() == expected
