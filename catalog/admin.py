"""Operators manage the catalog here: services with their costs inline, and reference data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from catalog.models import (
    CostItem,
    Fachverfahren,
    FundingProgramme,
    Prerequisite,
    Responsibility,
    ResponsibilityRule,
    Service,
    TaskTransfer,
)
from catalog.responsibility import responsibility_rebuild
from portal.fields import URLS_ASSUME_HTTPS

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.forms import Form
    from django.http import HttpRequest

    from geo.models import State


class CostItemInline(admin.TabularInline):
    model = CostItem
    extra = 1
    fields = ["label", "label_en", "amount", "recurrence", "note", "position"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "level", "status", "position", "funding_programme"]
    list_editable = ["status", "position"]
    list_filter = ["level", "status", "prerequisites", "fachverfahren", "funding_programme"]
    list_select_related = ["funding_programme"]
    search_fields = ["name", "name_en", "slug", "short_description", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["prerequisites", "fachverfahren"]
    inlines = [CostItemInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "position", "level"]}),
        (
            "Deutsch",
            {"fields": ["short_description", "description", "responsible_authority", "origin"]},
        ),
        (
            "English",
            {
                "classes": ["collapse"],
                "fields": [
                    "name_en",
                    "short_description_en",
                    "description_en",
                    "responsible_authority_en",
                    "origin_en",
                ],
            },
        ),
        (None, {"fields": ["prerequisites", "fachverfahren", "funding_programme"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Service, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A new service, or one whose level changed, needs its exceptions derived.
        responsibility_rebuild()


@admin.register(Prerequisite)
class PrerequisiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code", "description"]


@admin.register(Fachverfahren)
class FachverfahrenAdmin(admin.ModelAdmin):
    list_display = ["product", "vendor", "interface_standard", "min_version"]
    list_editable = ["min_version"]
    list_filter = ["interface_standard", "vendor"]
    search_fields = ["product", "vendor", "interface_standard", "note"]


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_ASSUME_HTTPS
    list_display = [
        "name",
        "state",
        "rate_percent",
        "special_need_rate_percent",
        "cap_amount",
        "minimum_amount",
        "application_before_contract",
    ]
    list_filter = ["state", "application_before_contract"]
    list_select_related = ["state"]
    search_fields = ["name", "name_en", "description"]
    prepopulated_fields = {"slug": ["name"]}


class RebuildOnChangeAdmin(admin.ModelAdmin):
    """Every change to a rule, transfer or override derives the state's exceptions anew."""

    def _state_of(self, obj: Any) -> State:
        raise NotImplementedError

    def _rebuilt(self, request: HttpRequest, states: list[State]) -> None:
        result = responsibility_rebuild(states)
        self.message_user(
            request,
            _(
                "Zuständigkeiten neu abgeleitet: %(exceptions)s Ausnahmen von der Ebenenregel "
                "(%(created)s neu, %(updated)s geändert, %(deleted)s entfernt)."
            )
            % vars(result),
            messages.INFO,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._rebuilt(request, [self._state_of(obj)])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        state = self._state_of(obj)
        super().delete_model(request, obj)
        self._rebuilt(request, [state])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        states = list({self._state_of(obj) for obj in queryset})
        super().delete_queryset(request, queryset)
        self._rebuilt(request, states)


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(RebuildOnChangeAdmin):
    list_display = ["state", "service", "applies_to", "provider", "legal_basis"]
    list_filter = ["state", "service", "applies_to", "provider"]
    list_select_related = ["state", "service"]

    def _state_of(self, obj: ResponsibilityRule) -> State:
        return obj.state


@admin.register(TaskTransfer)
class TaskTransferAdmin(RebuildOnChangeAdmin):
    list_display = ["municipality", "service", "legal_basis"]
    list_filter = ["service", "municipality__state"]
    list_select_related = ["municipality", "service"]
    search_fields = ["municipality__name", "municipality__ags", "legal_basis"]
    raw_id_fields = ["municipality"]

    def _state_of(self, obj: TaskTransfer) -> State:
        return obj.municipality.state


@admin.register(Responsibility)
class ResponsibilityAdmin(RebuildOnChangeAdmin):
    """The exceptions from the level rule. Rows derived by a rule are shown, not edited: the
    rule is where they change. Operators add overrides here (source "Festlegung im Betrieb")."""

    list_display = ["municipality", "service", "authority", "source", "legal_basis"]
    list_filter = ["source", "service", "municipality__state"]
    list_select_related = ["municipality", "service", "authority"]
    search_fields = ["municipality__name", "municipality__ags", "authority__name"]
    raw_id_fields = ["municipality", "authority"]
    fields = ["service", "municipality", "authority", "legal_basis"]

    def _state_of(self, obj: Responsibility) -> State:
        return obj.municipality.state

    # A derived row can be changed (it becomes the operators' override, which the rules then
    # leave alone), not deleted: the next rebuild would derive it again.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.source == Responsibility.Source.RULE:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: Responsibility, form: Form, change: bool
    ) -> None:
        obj.source = Responsibility.Source.OVERRIDE
        super().save_model(request, obj, form, change)
