"""The Nachnutzungsvertrag (re-use agreement) of one order as a PDF, for the authority to sign
and upload on the contract item of its roll-in.

The contract is a legal text: it is German whatever language the reader's pages are in (the
binding version, as for the Impressum), so its wording is plain German, not gettext. Every
particular comes from the order: authority, service, order number, Fachverfahren, costs from
the catalog, the acceptance of the terms.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Callable

    from reportlab.lib.styles import StyleSheet1
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from orders.models import Order

COSTS_CLAUSE = "§ 3 Kosten"  # the cost table follows this clause
CLAUSES = [
    (
        "§ 1 Gegenstand",
        "Der Auftragnehmer stellt der Behörde die oben genannte Leistung als „Einer für Alle“-"
        "Onlinedienst zur Nachnutzung bereit. Die Behörde bindet den Dienst an ihr Fachverfahren "
        "an und bietet ihn den Bürgerinnen und Bürgern ihres Zuständigkeitsbereichs an.",
    ),
    (
        "§ 2 Einführung",
        "Die Einführung folgt den Stufen des DigitalMarkts (Vertrag, Kick-off, Anbindung, "
        "Konfiguration, Test, Schulung und Freigabe, Wirkbetrieb). Beide Seiten erledigen die "
        "ihnen dort zugewiesenen Aufgaben in angemessener Frist.",
    ),
    (
        COSTS_CLAUSE,
        "Es gelten die folgenden Kosten laut Leistungskatalog zum Zeitpunkt der "
        "Bestellung. Eine beantragte Förderung mindert die Kosten nach Maßgabe des Bescheids.",
    ),
    (
        "§ 4 Datenschutz",
        "Jede Seite ist für die Verarbeitung in ihrem Verantwortungsbereich verantwortlich. Eine "
        "gesonderte Vereinbarung zur Auftragsverarbeitung ist nach § 8a Abs. 4 OZG nicht "
        "erforderlich.",
    ),
    (
        "§ 5 Laufzeit",
        "Der Vertrag beginnt mit der Gegenzeichnung durch den Auftragnehmer und läuft auf "
        "unbestimmte Zeit. Er kann von jeder Seite mit einer Frist von sechs Monaten zum Ende "
        "eines Kalenderjahres in Textform gekündigt werden.",
    ),
]


def contract_pdf(order: Order) -> bytes:
    """An A4 contract: parties, subject, costs, clauses and two signature blocks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    title = f"Nachnutzungsvertrag {order.number}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author="DigitalMarkt",
        subject=f"{order.service.name} – {order.authority.name}",
        lang="de-DE",
    )
    styles = getSampleStyleSheet()
    story: list[Flowable] = [
        Paragraph("Nachnutzungsvertrag", styles["Title"]),
        Paragraph(f"über den Onlinedienst „{_escape(order.service.name)}“", styles["Heading2"]),
        Spacer(1, 0.3 * cm),
        _particulars(order, styles),
        Spacer(1, 0.4 * cm),
    ]
    for heading, text in CLAUSES:
        story += [Paragraph(heading, styles["Heading4"]), Paragraph(text, styles["BodyText"])]
        if heading == COSTS_CLAUSE:
            story += [Spacer(1, 0.2 * cm), _costs(order, styles)]
    story.append(Spacer(1, 1.5 * cm))
    story.append(_signatures(order, styles))
    footer = f"{title} – erstellt am {timezone.localdate():%d.%m.%Y} im DigitalMarkt"
    document.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return buffer.getvalue()


def _particulars(order: Order, styles: StyleSheet1) -> Flowable:
    from reportlab.platypus import Paragraph, Table

    authority = order.authority
    fachverfahren = str(order.fachverfahren) if order.fachverfahren else order.fachverfahren_other
    accepted = timezone.localtime(order.terms_accepted_at)
    rows = [
        ("Bestellnummer", order.number),
        ("Behörde", f"{authority.name} ({authority.get_kind_display()})"),
        ("Amtlicher Schlüssel", authority.key),
        ("Auftragnehmer", f"Generalunternehmer des Landes {authority.state.name}"),
        ("Leistung", order.service.name),
        ("Fachverfahren", fachverfahren),
        ("Ansprechperson", f"{order.contact_name}, {order.contact_email}, {order.contact_phone}"),
        ("Gewünschter Start", f"{order.desired_golive:%d.%m.%Y}"),
        (
            "Bestellt",
            f"am {accepted:%d.%m.%Y} von {order.terms_accepted_by}; Nutzungsbedingungen akzeptiert",
        ),
    ]
    body = styles["BodyText"]
    data = [
        [Paragraph(f"<b>{key}</b>", body), Paragraph(_escape(value), body)] for key, value in rows
    ]
    table = Table(data, colWidths=["32%", "68%"])
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
    return table


def _costs(order: Order, styles: StyleSheet1) -> Flowable:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table

    body = styles["BodyText"]
    header = ["<b>Kostenposition</b>", "<b>Turnus</b>", "<b>Betrag</b>"]
    data: list[list[Any]] = [[Paragraph(text, body) for text in header]]
    for item in order.service.cost_items.all():
        data.append(
            [
                Paragraph(_escape(item.label), body),
                Paragraph(str(item.get_recurrence_display()), body),
                Paragraph(_euro(item.amount), body),
            ]
        )
    if len(data) == 1:
        data.append([Paragraph("Keine Kosten im Leistungskatalog hinterlegt.", body), "", ""])
    table = Table(data, colWidths=["55%", "20%", "25%"], repeatRows=1)
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    return table


def _signatures(order: Order, styles: StyleSheet1) -> Flowable:
    from reportlab.platypus import Paragraph, Table

    body = styles["BodyText"]
    line = "_" * 34
    left = f"{line}<br/>Ort, Datum, Unterschrift<br/>für {_escape(order.authority.name)}"
    right = (
        f"{line}<br/>Ort, Datum, Unterschrift<br/>für den Generalunternehmer des Landes "
        f"{_escape(order.authority.state.name)}"
    )
    return Table([[Paragraph(left, body), Paragraph(right, body)]], colWidths=["50%", "50%"])


def _footer(text: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    from reportlab.lib.units import cm

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(2.2 * cm, 1.2 * cm, text)
        canvas.drawRightString(doc.pagesize[0] - 2.2 * cm, 1.2 * cm, f"Seite {doc.page}")
        canvas.restoreState()

    return draw


def _euro(amount: Decimal) -> str:
    """German figures, "1.234,50 €": the contract is German (see the module docstring)."""
    english = f"{amount:,.2f}"
    return english.replace(",", " ").replace(".", ",").replace(" ", ".") + " €"


def _escape(text: str) -> str:
    """reportlab's Paragraph reads a little XML: names like "Müller & Söhne" must not break it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
