"""Open-data coverage rows: areas and figures only, never orders or people."""

from __future__ import annotations

from rest_framework import serializers


class CoverageFiguresSerializer(serializers.Serializer):
    service = serializers.CharField(help_text="Kürzel (slug) der Leistung")
    service_name = serializers.CharField()
    service_url = serializers.URLField(help_text="Die Leistung im Katalog derselben API")
    level = serializers.ChoiceField(choices=["municipal", "district"])
    responsible = serializers.IntegerField(help_text="Zuständige Behörden")
    live = serializers.IntegerField(help_text="Zuständige Behörden im Wirkbetrieb")
    share_live = serializers.DecimalField(max_digits=4, decimal_places=1)
    population = serializers.IntegerField(help_text="Einwohner im Zuständigkeitsbereich")
    population_live = serializers.IntegerField(help_text="Einwohner, deren Behörde live ist")
    share_population = serializers.DecimalField(max_digits=4, decimal_places=1)
    is_full = serializers.BooleanField(help_text="flächendeckend: jede zuständige Behörde live")
    ordered = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    gebietsstand = serializers.DateField(
        allow_null=True, help_text="Gebietsstand der Gemeinden, auf dem die Zahlen beruhen"
    )


class StateCoverageSerializer(CoverageFiguresSerializer):
    state = serializers.CharField(help_text="Länderschlüssel (AGS)")
    state_name = serializers.CharField()


class AreaCoverageSerializer(StateCoverageSerializer):
    area = serializers.CharField(help_text="Schlüssel des Regierungsbezirks oder Kreises")
    area_name = serializers.CharField()


class FederalServiceSerializer(serializers.Serializer):
    service = serializers.CharField(help_text="Kürzel (slug) der Leistung")
    service_name = serializers.CharField()
    offered = serializers.BooleanField(help_text="Im Land angeboten")
    responsible = serializers.IntegerField(help_text="Zuständige Behörden")
    live = serializers.IntegerField(help_text="Zuständige Behörden im Wirkbetrieb")
    population = serializers.IntegerField(help_text="Einwohner im Zuständigkeitsbereich")
    population_live = serializers.IntegerField(help_text="Einwohner, deren Behörde live ist")
    is_full = serializers.BooleanField(help_text="flächendeckend: jede zuständige Behörde live")
    in_progress = serializers.IntegerField()


class FederalStateSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="Länderschlüssel (AGS)")
    state_name = serializers.CharField()
    is_open = serializers.BooleanField(
        help_text="Für DigitalMarkt eröffnet; sonst sind alle Zahlen null (nicht 0)"
    )
    services_offered = serializers.IntegerField(allow_null=True)
    services_full = serializers.IntegerField(allow_null=True, help_text="Leistungen flächendeckend")
    target_services = serializers.IntegerField(allow_null=True, help_text="Ziel (Leistungen)")
    target_date = serializers.DateField(allow_null=True)
    services_in_rollin = serializers.IntegerField(allow_null=True)
    services_by_target_date = serializers.IntegerField(
        allow_null=True, help_text="Flächendeckend zum Zieldatum beim Tempo der letzten Wochen"
    )
    on_track = serializers.BooleanField(allow_null=True)
    services = FederalServiceSerializer(many=True)
