"""The default stage template (DESIGN §3): eight stages and their checklist items.

Services without a template of their own use it. Operators edit it in the admin; changes
apply to orders that have not reached the edited stage yet (items are created on entry).
"""

from django.db import migrations

# (code, label, label_en, due working days, is_live, items)
# item: (code, label, label_en, kind, actor, requires_document, connector_action)
STAGES = [
    ("bestellt", "Bestellt", "Ordered", 5, False, [
        ("freigabe", "Bestellung prüfen und freigeben", "Review and release the order",
         "manual", "coordinator", False, ""),
    ]),
    ("vertrag", "Vertrag", "Contract", 20, False, [
        ("vertrag_hochladen", "Unterschriebenen Nachnutzungsvertrag hochladen",
         "Upload the signed re-use agreement", "manual", "staff", True, ""),
        ("gegenzeichnen", "Vertrag gegenzeichnen", "Countersign the agreement",
         "manual", "coordinator", False, ""),
    ]),
    ("kickoff", "Kick-off", "Kick-off", 10, False, [
        ("ansprechpersonen", "Ansprechpersonen benennen", "Name the contact persons",
         "manual", "staff", False, ""),
    ]),
    ("anbindung", "Anbindung", "Connection", 15, False, [
        ("zustellpunkt", "Zustellpunkt konfigurieren", "Configure the delivery point",
         "automatic", "worker", False, "configure"),
        ("erreichbarkeit", "Erreichbarkeit und Schlüsselaustausch prüfen",
         "Check reachability and key exchange", "automatic", "worker", False, "probe"),
    ]),
    ("konfiguration", "Konfiguration", "Configuration", 15, False, [
        ("portal_registrieren",
         "BayernID/ePayBL einrichten, Zuständigkeiten im Portal registrieren",
         "Set up BayernID/ePayBL, register responsibilities in the portal",
         "automatic", "worker", False, "configure"),
    ]),
    ("test", "Test", "Test", 10, False, [
        ("testantrag_senden", "Testantrag senden", "Send a test submission",
         "automatic", "worker", False, "send_test"),
        ("quittung_pruefen", "Empfangsbestätigung prüfen", "Check the acknowledgement",
         "automatic", "worker", False, "check_ack"),
        ("eingang_bestaetigen", "Eingang des Testantrags bestätigen",
         "Confirm receipt of the test submission", "manual", "staff", False, ""),
    ]),
    ("schulung", "Schulung & Freigabe", "Training & approval", 15, False, [
        ("schulung_bestaetigen", "Schulung bestätigen", "Confirm the training",
         "manual", "staff", False, ""),
        ("wirkbetrieb_freigeben", "Wirkbetrieb freigeben", "Approve go-live",
         "manual", "staff", False, ""),
    ]),
    ("wirkbetrieb", "Wirkbetrieb", "Live", 0, True, []),
]


def create_default(apps, schema_editor):
    StageTemplate = apps.get_model("rollin", "StageTemplate")
    StageDefinition = apps.get_model("rollin", "StageDefinition")
    ItemDefinition = apps.get_model("rollin", "ItemDefinition")
    if StageTemplate.objects.filter(service__isnull=True).exists():
        return
    template = StageTemplate.objects.create(name="Standard-Roll-in", service=None)
    for position, (code, label, label_en, days, is_live, items) in enumerate(STAGES, start=1):
        stage = StageDefinition.objects.create(
            template=template, position=position, code=code, label=label, label_en=label_en,
            due_working_days=days, is_live=is_live,
        )
        for item_position, (icode, ilabel, ilabel_en, kind, actor, doc, action) in enumerate(
            items, start=1
        ):
            ItemDefinition.objects.create(
                stage=stage, position=item_position, code=icode, label=ilabel,
                label_en=ilabel_en, kind=kind, actor=actor, requires_document=doc,
                connector_action=action,
            )


def remove_default(apps, schema_editor):
    apps.get_model("rollin", "StageTemplate").objects.filter(service__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rollin", "0002_claim_and_simulator")]

    operations = [migrations.RunPython(create_default, remove_default)]
