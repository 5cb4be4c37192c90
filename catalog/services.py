"""Writes to the catalog: loading the reference content idempotently."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from catalog import reference_data
from catalog.models import (
    CostItem,
    Fachverfahren,
    FundingProgramme,
    Prerequisite,
    ResponsibilityRule,
    Service,
    TaskTransfer,
)
from catalog.responsibility import responsibility_rebuild
from geo.models import Municipality, State


@dataclass(frozen=True)
class CatalogLoadResult:
    services_created: int
    services_updated: int
    services_unchanged: int = 0


@transaction.atomic
def catalog_load(
    *,
    prerequisites: list[dict[str, str]] | None = None,
    fachverfahren: list[dict[str, str]] | None = None,
    funding_programmes: list[dict[str, Any]] | None = None,
    services: list[dict[str, Any]] | None = None,
    refresh: bool = False,
) -> CatalogLoadResult:
    """Create what is missing of the reference catalog; running it again changes nothing.

    Rows are matched by their natural key (code, slug, product). Rows that exist belong to the
    operators, who edit them in the admin, so they are left alone — `make run` runs this on
    every start. `refresh=True` writes the reference texts, prerequisites and Fachverfahren
    over existing rows (to take over improved reference content). Cost items have no natural
    key, so they are written only for a service that has none yet, even on refresh.
    """
    prerequisites = reference_data.PREREQUISITES if prerequisites is None else prerequisites
    fachverfahren = reference_data.FACHVERFAHREN if fachverfahren is None else fachverfahren
    funding_programmes = (
        reference_data.FUNDING_PROGRAMMES if funding_programmes is None else funding_programmes
    )
    services = reference_data.SERVICES if services is None else services
    upsert = _update_or_create if refresh else _get_or_create

    prerequisite_by_code = {
        row["code"]: upsert(
            Prerequisite, {"code": row["code"]}, {k: v for k, v in row.items() if k != "code"}
        )[0]
        for row in prerequisites
    }
    fachverfahren_by_key = {
        row["key"]: upsert(
            Fachverfahren,
            {"product": row["product"], "interface_standard": row["interface_standard"]},
            {k: v for k, v in row.items() if k not in {"key", "product", "interface_standard"}},
        )[0]
        for row in fachverfahren
    }
    programme_by_slug = {
        row["slug"]: upsert(FundingProgramme, {"slug": row["slug"]}, _programme_fields(row))[0]
        for row in funding_programmes
    }

    for row, obj in [
        *zip(prerequisites, prerequisite_by_code.values(), strict=True),
        *zip(fachverfahren, fachverfahren_by_key.values(), strict=True),
        *zip(funding_programmes, programme_by_slug.values(), strict=True),
    ]:
        _fill_missing_translations(obj, row)
    created = updated = unchanged = 0
    for row in services:
        service, was_created = upsert(
            Service, {"slug": row["slug"]}, _service_fields(row, programme_by_slug)
        )
        _fill_missing_translations(service, row)
        for cost in service.cost_items.all():
            reference = next((c for c in row["costs"] if c["label"] == cost.label), None)
            if reference is not None:
                _fill_missing_translations(cost, reference)
        if was_created or refresh:
            service.prerequisites.set([prerequisite_by_code[c] for c in row["prerequisites"]])
            service.fachverfahren.set([fachverfahren_by_key[k] for k in row["fachverfahren"]])
        if not service.cost_items.exists():
            CostItem.objects.bulk_create(
                CostItem(service=service, position=index, **cost)
                for index, cost in enumerate(row["costs"])
            )
        created += was_created
        updated += refresh and not was_created
        unchanged += not refresh and not was_created
    responsibility_rules_load(reference_data.RESPONSIBILITY_RULES)
    return CatalogLoadResult(
        services_created=created, services_updated=updated, services_unchanged=unchanged
    )


def _fill_missing_translations(obj: Any, row: dict[str, Any]) -> None:
    """Write the reference English texts into rows that have none yet. Existing rows belong to
    the operators and keep their German texts, but a catalog loaded before the English texts
    existed would otherwise stay German in English mode; an English text an operator wrote is
    never overwritten."""
    missing = {
        name: value
        for name, value in row.items()
        if name.endswith("_en") and value and not getattr(obj, name, "")
    }
    if missing:
        for name, value in missing.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(missing))


def responsibility_rules_load(rules: dict[str, dict[str, list[tuple[str, str, str]]]]) -> int:
    """Create the reference rules that are missing for imported states and known services.

    Existing rules are the operators' (their legal basis may have been corrected in the
    admin) and stay as they are. Returns the number created.
    """
    states = {state.ags: state for state in State.objects.filter(ags__in=list(rules))}
    services = {service.slug: service for service in Service.objects.all()}
    created = 0
    for state_ags, by_service in rules.items():
        state = states.get(state_ags)
        if state is None:
            continue  # not imported (yet): the next load after the import creates them
        for slug, entries in by_service.items():
            service = services.get(slug)
            if service is None:
                continue
            for applies_to, provider, legal_basis in entries:
                _rule, was_created = ResponsibilityRule.objects.get_or_create(
                    state=state,
                    service=service,
                    applies_to=applies_to,
                    defaults={"provider": provider, "legal_basis": legal_basis},
                )
                created += was_created
    return created


def _get_or_create(model: type[Any], keys: dict[str, Any], fields: dict[str, Any]) -> Any:
    return model.objects.get_or_create(**keys, defaults=fields)


def _update_or_create(model: type[Any], keys: dict[str, Any], fields: dict[str, Any]) -> Any:
    return model.objects.update_or_create(**keys, defaults=fields)


def _programme_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in row.items() if k not in {"slug", "state_ags"}}
    # The state may not be imported yet (fresh database); the programme still applies.
    fields["state"] = State.objects.filter(ags=row["state_ags"]).first()
    return fields


def _service_fields(
    row: dict[str, Any], programme_by_slug: dict[str, FundingProgramme]
) -> dict[str, Any]:
    relations = {"prerequisites", "fachverfahren", "funding", "costs"}
    fields = {k: v for k, v in row.items() if k not in relations and k != "slug"}
    fields["funding_programme"] = programme_by_slug.get(row.get("funding") or "")
    return fields


class TaskTransferError(Exception):
    """A transfer list that cannot be imported; the message names the file and the row."""


@dataclass(frozen=True)
class TaskTransferImport:
    created: int
    updated: int
    unchanged: int


TASK_TRANSFER_COLUMNS = ["ags", "service", "legal_basis"]


def task_transfers_import(path: Path) -> TaskTransferImport:
    """Add or update the transfers listed in a CSV (ags, service slug, legal basis).

    All rows are checked before anything is written, so a bad row changes nothing; a second
    run of the same file changes nothing. Rows not in the file stay (remove them in the admin).
    """
    rows = _task_transfer_rows(path)
    created = updated = unchanged = 0
    with transaction.atomic():
        for municipality, service, legal_basis in rows:
            transfer, was_created = TaskTransfer.objects.get_or_create(
                service=service, municipality=municipality, defaults={"legal_basis": legal_basis}
            )
            if was_created:
                created += 1
            elif transfer.legal_basis != legal_basis:
                transfer.legal_basis = legal_basis
                transfer.save(update_fields=["legal_basis"])
                updated += 1
            else:
                unchanged += 1
        if created or updated:
            responsibility_rebuild({municipality.state for municipality, _s, _b in rows})
    return TaskTransferImport(created=created, updated=updated, unchanged=unchanged)


def _task_transfer_rows(path: Path) -> list[tuple[Municipality, Service, str]]:
    if not path.is_file():
        raise TaskTransferError(f"{path}: Datei nicht gefunden")
    services = {service.slug: service for service in Service.objects.all()}
    rows: list[tuple[Municipality, Service, str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in TASK_TRANSFER_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise TaskTransferError(f"{path}, Zeile 1: Spalte fehlt: {', '.join(missing)}")
            for row in reader:
                where = f"{path}, Zeile {reader.line_num}"
                ags = (row.get("ags") or "").strip()
                slug = (row.get("service") or "").strip()
                legal_basis = (row.get("legal_basis") or "").strip()
                municipality = Municipality.current.filter(ags=ags).first()
                if municipality is None:
                    raise TaskTransferError(f"{where}: keine aktuelle Gemeinde mit AGS {ags!r}")
                if slug not in services:
                    raise TaskTransferError(f"{where}: unbekannte Leistung {slug!r}")
                if not legal_basis:
                    raise TaskTransferError(f"{where}: Rechtsgrundlage fehlt")
                rows.append((municipality, services[slug], legal_basis))
    except (csv.Error, UnicodeDecodeError) as error:
        raise TaskTransferError(f"{path}: keine gültige CSV-Datei ({error})") from None
    return rows
