"""The English catalogue is complete, compiled, and actually used when a visitor picks English.

The msgids are German (the default UI language), so English is the only catalogue. A fresh
clone has no gettext step, which is why the compiled .mo is committed and checked here.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import StaffFactory
from tests.factories_orders import OrderFactory, ServiceFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# Labels of the main navigation and footer as they read in German.
GERMAN_NAV_LABELS = [
    "Leistungen",
    "Versorgung",
    "Meine Bestellungen",
    "Warenkorb",
    "Anmelden",
    "Registrieren",
    "Abmelden",
    "Impressum",
    "Datenschutzerklärung",
    "Erklärung zur Barrierefreiheit",
    "Zum Inhalt springen",
]
ENGLISH_FOOTER = ["Legal notice", "Privacy policy", "Accessibility statement"]


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _parse_po(path: Path) -> list[PoEntry]:
    """Enough of the PO format for catalogues written by makemessages/msgcat."""
    entries: list[PoEntry] = []
    entry, target = PoEntry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = PoEntry(), None
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue  # references, comments and obsolete (#~) entries
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match.group(1))) if match else keyword
            if keyword == "msgstr":
                target = ("msgstr", 0)
            _append(entry, target, ast.literal_eval(value), start=True)
    return [e for e in entries if e.msgid]  # drop the header


def _append(entry: PoEntry, target: object, text: str, start: bool = False) -> None:
    if isinstance(target, tuple):
        entry.msgstr[target[1]] = ("" if start else entry.msgstr[target[1]]) + text
    else:  # msgid, msgid_plural or msgctxt: the attribute of the same name
        previous = "" if start else getattr(entry, str(target)) or ""
        setattr(entry, str(target), previous + text)


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return _parse_po(CATALOGUE / "django.po")


def test_catalogue_has_no_untranslated_or_fuzzy_entries(po_entries) -> None:
    assert len(po_entries) > 500  # the real catalogue, not an empty file
    untranslated = [e.msgid for e in po_entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in po_entries if "fuzzy" in e.flags]
    plural_gaps = [e.msgid for e in po_entries if e.msgid_plural and set(e.msgstr) != {0, 1}]
    assert untranslated == []
    assert fuzzy == []
    assert plural_gaps == []


def test_placeholders_survive_translation(po_entries) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|%[sd]|\{\w*\}")
    broken = [
        e.msgid
        for e in po_entries
        for source, index in ((e.msgid, 0), (e.msgid_plural, 1))
        if source is not None
        and sorted(placeholder.findall(source)) != sorted(placeholder.findall(e.msgstr[index]))
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(po_entries) -> None:
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    got: str | list[str]
    expected: str | list[str]
    for e in po_entries:
        if e.msgid_plural is not None:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            expected = [e.msgstr[0], e.msgstr[1]]
        elif e.msgctxt is not None:
            got, expected = compiled.pgettext(e.msgctxt, e.msgid), e.msgstr[0]
        else:
            got, expected = compiled.gettext(e.msgid), e.msgstr[0]
        if got != expected:
            stale.append(e.msgid)
    assert stale == [], "run: manage.py compilemessages --ignore=.venv"


class _VisibleText(HTMLParser):
    """The text a reader sees, plus aria-labels; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        label = dict(attrs).get("aria-label")
        if label:
            self.parts.append(label)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def _texts(response) -> list[str]:
    assert response.status_code == 200
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return parser.parts


def _switch_to_english(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_public_pages_are_english_after_switching_language(client) -> None:
    ServiceFactory(name="Wohnsitzanmeldung", name_en="Residence registration")
    _switch_to_english(client)

    pages = {
        "home": client.get(reverse("portal:home")),
        "catalog": client.get(reverse("catalog:service_list")),
        "login": client.get(reverse("account_login")),
    }

    for name, response in pages.items():
        texts = _texts(response)
        assert '<html lang="en">' in response.content.decode(), name
        for label in ["Services", "Coverage", "Sign in", "Register", *ENGLISH_FOOTER]:
            assert label in texts, (name, label)
        leftovers = [label for label in GERMAN_NAV_LABELS if label in texts]
        assert leftovers == [], name
    assert "Skip to main content" in _texts(pages["home"])
    catalog = _texts(pages["catalog"])
    assert "1 service found" in catalog
    assert "Residence registration" in catalog
    assert "Wohnsitzanmeldung" not in catalog
    assert "Password" in " ".join(_texts(pages["login"]))


@pytest.mark.django_db
def test_signed_in_navigation_is_english(client) -> None:
    client.force_login(StaffFactory())
    _switch_to_english(client)

    texts = _texts(client.get(reverse("orders:order_list")))

    for label in ["My orders", "Basket", "Notifications", "Sign out", *ENGLISH_FOOTER]:
        assert label in texts, label
    assert [label for label in GERMAN_NAV_LABELS if label in texts] == []


@pytest.mark.django_db
def test_service_names_follow_the_language_on_order_pages(client) -> None:
    service = ServiceFactory(name="Wohnsitzanmeldung", name_en="Residence registration")
    order = OrderFactory(service=service)
    client.force_login(order.placed_by)
    pages = [reverse("orders:order_list"), reverse("orders:order_detail", args=[order.number])]

    assert all("Wohnsitzanmeldung" in " ".join(_texts(client.get(url))) for url in pages)
    _switch_to_english(client)
    for url in pages:
        english = " ".join(_texts(client.get(url)))
        assert "Residence registration" in english, url
        assert "Wohnsitzanmeldung" not in english, url


@pytest.mark.django_db
def test_german_stays_the_default(client) -> None:
    texts = _texts(client.get(reverse("portal:home")))

    assert "Leistungen" in texts
    assert "Impressum" in texts
    assert "Services" not in texts


@pytest.mark.django_db
def test_stage_and_item_names_follow_the_language(client) -> None:
    from rollin.services import rollin_start

    order = OrderFactory()
    rollin = rollin_start(order=order)
    stage, item = rollin.stage, rollin.items.first().definition
    assert stage.label_en and item.label_en, "the default template ships English labels"
    client.force_login(order.placed_by)
    url = reverse("orders:order_detail", args=[order.number])

    german = " ".join(_texts(client.get(url)))
    assert stage.label in german and item.label in german
    _switch_to_english(client)
    english = " ".join(_texts(client.get(url)))
    assert stage.label_en in english and item.label_en in english
    assert stage.label not in english


def test_english_dates_are_day_first() -> None:
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2026, 3, 4)
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "04/03/2026"
    with translation.override("de"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "04.03.2026"
