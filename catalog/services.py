"""Writes to the catalog: loading the reference content idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from catalog import reference_data
from catalog.models import CostItem, Fachverfahren, FundingProgramme, Prerequisite, Service
from geo.models import State


@dataclass(frozen=True)
class CatalogLoadResult:
    services_created: int
    services_updated: int


@transaction.atomic
def catalog_load(
    *,
    prerequisites: list[dict[str, str]] | None = None,
    fachverfahren: list[dict[str, str]] | None = None,
    funding_programmes: list[dict[str, Any]] | None = None,
    services: list[dict[str, Any]] | None = None,
) -> CatalogLoadResult:
    """Create or refresh the catalog from reference data; running it again changes nothing.

    Rows are matched by their natural key (code, slug, product), so a second run updates in
    place. Cost items have no natural key and operators edit them in the admin, so they are
    written only for a service that has none yet.
    """
    prerequisites = reference_data.PREREQUISITES if prerequisites is None else prerequisites
    fachverfahren = reference_data.FACHVERFAHREN if fachverfahren is None else fachverfahren
    funding_programmes = (
        reference_data.FUNDING_PROGRAMMES if funding_programmes is None else funding_programmes
    )
    services = reference_data.SERVICES if services is None else services

    prerequisite_by_code = {
        row["code"]: Prerequisite.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )[0]
        for row in prerequisites
    }
    fachverfahren_by_key = {
        row["key"]: Fachverfahren.objects.update_or_create(
            product=row["product"],
            interface_standard=row["interface_standard"],
            defaults={
                "vendor": row["vendor"],
                "min_version": row["min_version"],
                "note": row["note"],
            },
        )[0]
        for row in fachverfahren
    }
    programme_by_slug = {row["slug"]: _funding_programme_upsert(row) for row in funding_programmes}

    created = updated = 0
    for row in services:
        service, was_created = _service_upsert(row, programme_by_slug)
        service.prerequisites.set([prerequisite_by_code[code] for code in row["prerequisites"]])
        service.fachverfahren.set([fachverfahren_by_key[key] for key in row["fachverfahren"]])
        if not service.cost_items.exists():
            CostItem.objects.bulk_create(
                CostItem(service=service, position=index, **cost)
                for index, cost in enumerate(row["costs"])
            )
        created += was_created
        updated += not was_created
    return CatalogLoadResult(services_created=created, services_updated=updated)


def _funding_programme_upsert(row: dict[str, Any]) -> FundingProgramme:
    fields = {k: v for k, v in row.items() if k not in {"slug", "state_ags"}}
    # The state may not be imported yet (fresh database); the programme still applies.
    fields["state"] = State.objects.filter(ags=row["state_ags"]).first()
    return FundingProgramme.objects.update_or_create(slug=row["slug"], defaults=fields)[0]


def _service_upsert(
    row: dict[str, Any], programme_by_slug: dict[str, FundingProgramme]
) -> tuple[Service, bool]:
    relations = {"prerequisites", "fachverfahren", "funding", "costs"}
    fields = {k: v for k, v in row.items() if k not in relations and k != "slug"}
    fields["funding_programme"] = programme_by_slug.get(row.get("funding") or "")
    return Service.objects.update_or_create(slug=row["slug"], defaults=fields)
