"""The catalog's reference content: prerequisites, Fachverfahren, funding and the five services.

Loaded by `manage.py load_catalog` (idempotent). Texts state only what holds for the services
as such; where a vendor product cannot be named with certainty, the Fachverfahren entry names
the interface standard the authority's software must speak. Amounts are editable in the admin
after loading; the loader only writes them when it creates or refreshes the catalog.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PREREQUISITES: list[dict[str, str]] = [
    {
        "code": "bundid",
        "kind": "login",
        "name": "Nutzerkonto BundID",
        "name_en": "BundID user account",
        "description": (
            "Bürgerinnen und Bürger melden sich mit dem Nutzerkonto des Bundes (BundID) an, bei "
            "Bedarf mit der Online-Ausweisfunktion. Die Behörde muss dafür nichts betreiben; die "
            "Anbindung erfolgt im Online-Dienst."
        ),
        "description_en": (
            "Citizens sign in with the federal user account (BundID), where required with the "
            "online ID function. The authority runs nothing for this; the online service "
            "connects to it."
        ),
    },
    {
        "code": "bayernid",
        "kind": "login",
        "name": "Nutzerkonto BayernID",
        "name_en": "BayernID user account",
        "description": (
            "In Bayern steht zusätzlich das Landesnutzerkonto BayernID zur Verfügung. Die "
            "Zuständigkeit der Behörde wird im Bayern-Portal hinterlegt, damit Anträge richtig "
            "zugeordnet werden."
        ),
        "description_en": (
            "In Bavaria the state user account BayernID is available as well. The authority's "
            "responsibility is registered in the BayernPortal so that applications reach it."
        ),
    },
    {
        "code": "epaybl",
        "kind": "payment",
        "name": "Bezahlplattform ePayBL",
        "name_en": "ePayBL payment platform",
        "description": (
            "Wo für die Leistung Gebühren anfallen, werden sie online über ePayBL bezahlt. Die "
            "Behörde braucht dafür einen eingerichteten ePayBL-Mandanten mit Anbindung an ihr "
            "Haushalts- und Kassenverfahren und ein Client-Zertifikat."
        ),
        "description_en": (
            "Where the service charges fees, they are paid online through ePayBL. The authority "
            "needs an ePayBL tenant connected to its budget and cash system and a client "
            "certificate."
        ),
    },
    {
        "code": "osci-xta-dvdv",
        "kind": "channel",
        "name": "OSCI/XTA-Empfang mit DVDV-Eintrag",
        "name_en": "OSCI/XTA receiver registered in DVDV",
        "description": (
            "Anträge werden per OSCI-Transport an die Behörde zugestellt. Der Empfänger (z. B. "
            "ein Intermediär bzw. XTA-fähiges Fachverfahren) ist im Deutschen "
            "Verwaltungsdiensteverzeichnis (DVDV) mit dem passenden Dienst eingetragen, damit der "
            "Online-Dienst ihn findet."
        ),
        "description_en": (
            "Applications are delivered to the authority via OSCI transport. The receiver (an "
            "intermediary or an XTA-capable specialist system) is registered in the German "
            "administration services directory (DVDV) so that the online service finds it."
        ),
    },
    {
        "code": "fit-connect",
        "kind": "channel",
        "name": "FIT-Connect-Zustellpunkt",
        "name_en": "FIT-Connect delivery point",
        "description": (
            "Alternativ zu OSCI/XTA: Die Behörde richtet einen Zustellpunkt in FIT-Connect ein "
            "und hinterlegt ihn für ihre Zuständigkeit. Anträge kommen als verschlüsselter "
            "Datensatz mit Anlagen an und werden von ihrem Fachverfahren oder einem "
            "Subscriber-Client abgeholt."
        ),
        "description_en": (
            "As an alternative to OSCI/XTA the authority sets up a FIT-Connect delivery point "
            "and registers it for its responsibility. Applications arrive as an encrypted data "
            "record with attachments and are fetched by its specialist system or a subscriber "
            "client."
        ),
    },
]

# Interface-standard entries: the authority picks the one its software fulfils. Vendors add
# concrete products in the admin once their compatibility is confirmed.
FACHVERFAHREN: list[dict[str, str]] = [
    {
        "key": "xmeld",
        "vendor": "",
        "product": "XMeld-fähiges Einwohnermeldeverfahren",
        "product_en": "XMeld-capable residence registration system",
        "interface_standard_en": "XMeld",
        "interface_standard": "XMeld",
        "min_version": "",
        "note": "Empfang der Anmeldenachricht über OSCI/XTA; Version nach DVDV-Dienst.",
        "note_en": "Receives the registration message via OSCI/XTA; version as per DVDV service.",
    },
    {
        "key": "fahrerlaubnis",
        "vendor": "",
        "product": "Fahrerlaubnisverfahren mit Antragsempfang",
        "product_en": "Driving-licence system that receives applications",
        "interface_standard_en": "FIM data schema via FIT-Connect or OSCI/XTA",
        "interface_standard": "FIM-Datenschema über FIT-Connect oder OSCI/XTA",
        "min_version": "",
        "note": "Übernahme des Antragsdatensatzes samt Anlagen in das Fahrerlaubnisverfahren.",
        "note_en": "Takes the application record and attachments into the driving-licence system.",
    },
    {
        "key": "xauslaender",
        "vendor": "",
        "product": "XAusländer-fähiges Ausländerverfahren",
        "product_en": "XAusländer-capable foreigners' authority system",
        "interface_standard_en": "XAusländer",
        "interface_standard": "XAusländer",
        "min_version": "",
        "note": "Empfang über OSCI/XTA mit DVDV-Eintrag der Ausländerbehörde.",
        "note_en": "Receives via OSCI/XTA with a DVDV entry of the foreigners' authority.",
    },
    {
        "key": "xwaffe",
        "vendor": "",
        "product": "Waffenverwaltungsverfahren mit NWR-Anbindung",
        "product_en": "Weapons administration system connected to the NWR",
        "interface_standard_en": "XWaffe",
        "interface_standard": "XWaffe",
        "min_version": "",
        "note": "Das Verfahren ist über XWaffe an das Nationale Waffenregister angebunden.",
        "note_en": "The system is connected to the National Weapons Register via XWaffe.",
    },
    {
        "key": "xbau",
        "vendor": "",
        "product": "XBau-fähiges Baugenehmigungsverfahren",
        "product_en": "XBau-capable building permit system",
        "interface_standard_en": "XBau",
        "interface_standard": "XBau",
        "min_version": "",
        "note": "Empfang von Bauantrag und Bauvorlagen als XBau-Nachricht über OSCI/XTA.",
        "note_en": "Receives the building application and documents as XBau messages via OSCI/XTA.",
    },
]

FUNDING_PROGRAMMES: list[dict[str, Any]] = [
    {
        "slug": "fachverfahrensanbindung-bayern",
        "state_ags": "09",
        "name": "Förderung der Fachverfahrensanbindung",
        "name_en": "Funding for connecting specialist systems",
        "description": (
            "Der Freistaat fördert die einmaligen Kosten, die einer Kommune für die Anbindung "
            "ihres Fachverfahrens und die Einrichtung von Bezahl- und Übermittlungsdiensten an "
            "einen Online-Dienst entstehen. Laufende Kosten werden nicht gefördert. Der Antrag "
            "muss vor Abschluss des Vertrags gestellt werden. Maßgeblich ist die jeweils "
            "geltende Förderrichtlinie."
        ),
        "description_en": (
            "The Free State funds the one-off costs a municipality incurs for connecting its "
            "specialist system and setting up payment and delivery services for an online "
            "service. Running costs are not funded. The application must be made before the "
            "contract is signed. The funding guideline in force applies."
        ),
        "rate_percent": Decimal("80.00"),
        "special_need_rate_percent": Decimal("90.00"),
        "cap_amount": Decimal("20000.00"),
        "minimum_amount": Decimal("500.00"),
        "application_before_contract": True,
    },
]

# The ePayBL posts: set-up and go-live are one-off, the client certificate has a limited
# lifetime and is renewed, so it is booked as a yearly cost.
EPAYBL_COSTS: list[dict[str, Any]] = [
    {
        "label": "ePayBL: Einrichtung des Mandanten",
        "label_en": "ePayBL: tenant set-up",
        "amount": Decimal("1239.98"),
        "recurrence": "one_off",
        "note": "Entfällt, wenn die Behörde ePayBL bereits nutzt.",
        "note_en": "Not charged if the authority already uses ePayBL.",
    },
    {
        "label": "ePayBL: Go-live",
        "label_en": "ePayBL: go-live",
        "amount": Decimal("267.00"),
        "recurrence": "one_off",
        "note": "",
        "note_en": "",
    },
    {
        "label": "ePayBL: Client-Zertifikat",
        "label_en": "ePayBL: client certificate",
        "amount": Decimal("281.85"),
        "recurrence": "yearly",
        "note": "Zertifikat mit begrenzter Laufzeit, daher jährlich angesetzt.",
        "note_en": "The certificate expires, so it is budgeted yearly.",
    },
]

SERVICES: list[dict[str, Any]] = [
    {
        "slug": "ewohnsitz",
        "position": 10,
        "name": "eWohnsitz – elektronische Wohnsitzanmeldung",
        "name_en": "eWohnsitz – electronic residence registration",
        "short_description": (
            "Bürgerinnen und Bürger melden ihren neuen Wohnsitz online an – ohne Termin im "
            "Bürgerbüro."
        ),
        "short_description_en": (
            "Citizens register their new residence online – without an appointment at the "
            "citizens' office."
        ),
        "description": (
            "Wer innerhalb Deutschlands umzieht, meldet die neue Wohnung online an. Die Person "
            "meldet sich mit ihrem Nutzerkonto und der Online-Ausweisfunktion an, gibt die neue "
            "Anschrift und die mitziehenden Personen an und lädt die Wohnungsgeberbestätigung "
            "hoch.\n\n"
            "Die Meldebehörde erhält die Anmeldung als XMeld-Nachricht über OSCI/XTA in ihrem "
            "Einwohnermeldeverfahren und bearbeitet sie dort wie eine Anmeldung am Schalter; "
            "die Rückmeldung an die bisherige Meldebehörde läuft wie gewohnt. Die Anmeldung "
            "selbst ist gebührenfrei.\n\n"
            "Die Behörde braucht: ein XMeld-fähiges Einwohnermeldeverfahren, einen im DVDV "
            "eingetragenen OSCI/XTA-Empfang und die Zuständigkeit im Landesportal."
        ),
        "description_en": (
            "People moving within Germany register their new home online. They sign in with "
            "their user account and the online ID function, enter the new address and the "
            "persons moving with them and upload the landlord's confirmation.\n\n"
            "The registration office receives the registration as an XMeld message via "
            "OSCI/XTA in its registration system and processes it like one made at the counter. "
            "Registration itself is free of charge.\n\n"
            "The authority needs: an XMeld-capable registration system, an OSCI/XTA receiver "
            "registered in DVDV and its responsibility registered in the state portal."
        ),
        "level": "municipal",
        "responsible_authority": "Meldebehörde (Gemeinde oder Verwaltungsgemeinschaft)",
        "responsible_authority_en": "Registration office (municipality or administrative union)",
        "origin": (
            "Einer-für-Alle-Leistung (EfA), entwickelt unter Federführung der Freien und "
            "Hansestadt Hamburg im Auftrag des Bundesministeriums des Innern; Nachnutzung durch "
            "die Länder."
        ),
        "origin_en": (
            "One-for-all (EfA) service developed under the lead of the Free and Hanseatic City "
            "of Hamburg for the Federal Ministry of the Interior; re-used by the states."
        ),
        "status": "available",
        "prerequisites": ["bundid", "bayernid", "osci-xta-dvdv"],
        "fachverfahren": ["xmeld"],
        "funding": "fachverfahrensanbindung-bayern",
        "costs": [
            {
                "label": "Anbindung des Einwohnermeldeverfahrens",
                "label_en": "Connecting the registration system",
                "amount": Decimal("0.00"),
                "recurrence": "one_off",
                "note": (
                    "Keine ePayBL-Kosten, da die Anmeldung gebührenfrei ist. Kosten des "
                    "Herstellers für die XMeld-Anbindung nach dessen Angebot eintragen."
                ),
                "note_en": (
                    "No ePayBL costs, as registering a residence is free of charge. Enter the "
                    "vendor's costs for the XMeld connection according to its quote."
                ),
            },
        ],
    },
    {
        "slug": "fuehrerschein",
        "position": 20,
        "name": "Führerscheinantrag",
        "name_en": "Driving licence application",
        "short_description": (
            "Anträge rund um die Fahrerlaubnis online stellen, Unterlagen hochladen und die "
            "Gebühr direkt bezahlen."
        ),
        "short_description_en": (
            "Apply for driving-licence matters online, upload documents and pay the fee directly."
        ),
        "description": (
            "Antragstellende beantragen online z. B. die Ersterteilung einer Fahrerlaubnis oder "
            "den Umtausch eines Führerscheins. Sie melden sich mit ihrem Nutzerkonto an, laden "
            "die nötigen Nachweise (etwa Lichtbild, Sehtest, Erste-Hilfe-Nachweis) hoch und "
            "bezahlen die Gebühr online.\n\n"
            "Die Fahrerlaubnisbehörde erhält einen strukturierten Antragsdatensatz mit Anlagen "
            "über FIT-Connect oder OSCI/XTA und übernimmt ihn in ihr Fahrerlaubnisverfahren.\n\n"
            "Die Behörde braucht: ein Fahrerlaubnisverfahren, das den Antragsdatensatz "
            "übernehmen kann, einen Übermittlungsweg (FIT-Connect-Zustellpunkt oder "
            "OSCI/XTA-Empfang mit DVDV-Eintrag) und ePayBL für die Gebühren."
        ),
        "description_en": (
            "Applicants apply online, e.g. for a first driving licence or for exchanging a "
            "licence. They sign in with their user account, upload the required evidence (such "
            "as photo, eye test, first-aid certificate) and pay the fee online.\n\n"
            "The driving-licence authority receives a structured application record with "
            "attachments via FIT-Connect or OSCI/XTA and imports it into its driving-licence "
            "system.\n\n"
            "The authority needs: a driving-licence system that can import the record, a "
            "delivery channel (FIT-Connect delivery point or OSCI/XTA receiver in DVDV) and "
            "ePayBL for the fees."
        ),
        "level": "district",
        "responsible_authority": "Fahrerlaubnisbehörde (Landratsamt oder kreisfreie Stadt)",
        "responsible_authority_en": "Driving-licence authority (district office or county town)",
        "origin": (
            "Online-Dienst nach dem Einer-für-Alle-Prinzip (EfA); Nachnutzung über den "
            "Generalunternehmer des Landes."
        ),
        "origin_en": (
            "Online service following the one-for-all (EfA) principle; re-used via the state's "
            "general contractor."
        ),
        "status": "available",
        "prerequisites": ["bundid", "bayernid", "epaybl", "fit-connect", "osci-xta-dvdv"],
        "fachverfahren": ["fahrerlaubnis"],
        "funding": "fachverfahrensanbindung-bayern",
        "costs": EPAYBL_COSTS,
    },
    {
        "slug": "aufenthalt-digital",
        "position": 30,
        "name": "Aufenthalt Digital",
        "name_en": "Residence Digital",
        "short_description": (
            "Aufenthaltstitel online beantragen oder verlängern – mit Nachweisen und "
            "Online-Bezahlung."
        ),
        "short_description_en": (
            "Apply for or extend a residence permit online – with evidence and online payment."
        ),
        "description": (
            "Ausländerinnen und Ausländer beantragen online einen Aufenthaltstitel oder dessen "
            "Verlängerung. Sie melden sich mit ihrem Nutzerkonto an, machen Angaben zu Person, "
            "Aufenthaltszweck und Lebensunterhalt, laden Nachweise (z. B. Pass, Arbeitsvertrag, "
            "Mietvertrag) hoch und bezahlen die Gebühr online.\n\n"
            "Die Ausländerbehörde erhält den Antrag mit Anlagen über OSCI/XTA oder FIT-Connect "
            "und übernimmt ihn in ihr Ausländerverfahren; die Vorsprache zur Abnahme der "
            "Fingerabdrücke und die Ausgabe des Titels bleiben vor Ort.\n\n"
            "Die Behörde braucht: ein XAusländer-fähiges Ausländerverfahren, einen "
            "Übermittlungsweg mit DVDV-Eintrag oder FIT-Connect-Zustellpunkt und ePayBL für die "
            "Gebühren."
        ),
        "description_en": (
            "Foreign nationals apply online for a residence permit or its extension. They sign "
            "in with their user account, give details on person, purpose of stay and means of "
            "subsistence, upload evidence (e.g. passport, employment contract, lease) and pay "
            "the fee online.\n\n"
            "The foreigners' authority receives the application with attachments via OSCI/XTA "
            "or FIT-Connect and imports it into its system; taking fingerprints and handing out "
            "the permit remain in person.\n\n"
            "The authority needs: an XAusländer-capable system, a delivery channel registered "
            "in DVDV or a FIT-Connect delivery point and ePayBL for the fees."
        ),
        "level": "district",
        "responsible_authority": "Ausländerbehörde (Landratsamt oder kreisfreie Stadt)",
        "responsible_authority_en": "Foreigners' authority (district office or county town)",
        "origin": (
            "Online-Dienst nach dem Einer-für-Alle-Prinzip (EfA); Nachnutzung über den "
            "Generalunternehmer des Landes."
        ),
        "origin_en": (
            "Online service following the one-for-all (EfA) principle; re-used via the state's "
            "general contractor."
        ),
        "status": "available",
        "prerequisites": ["bundid", "bayernid", "epaybl", "osci-xta-dvdv", "fit-connect"],
        "fachverfahren": ["xauslaender"],
        "funding": "fachverfahrensanbindung-bayern",
        "costs": EPAYBL_COSTS,
    },
    {
        "slug": "ewaffe",
        "position": 40,
        "name": "eWaffe",
        "name_en": "eWaffe (weapons)",
        "short_description": (
            "Waffenrechtliche Anträge und Anzeigen online – direkt an die zuständige Waffenbehörde."
        ),
        "short_description_en": (
            "Firearms applications and notifications online – straight to the competent "
            "weapons authority."
        ),
        "description": (
            "Waffenbesitzerinnen und -besitzer stellen waffenrechtliche Anträge (z. B. auf eine "
            "Waffenbesitzkarte oder eine Erwerbsberechtigung) und erstatten Anzeigen (z. B. "
            "über Erwerb oder Überlassung einer Waffe) online. Sie melden sich mit ihrem "
            "Nutzerkonto an, laden Nachweise hoch und bezahlen Gebühren online.\n\n"
            "Die Waffenbehörde erhält den Antrag bzw. die Anzeige mit Anlagen über den "
            "Übermittlungsweg in ihrem Waffenverwaltungsverfahren. Die Eintragungen in das "
            "Nationale Waffenregister nimmt sie wie bisher über ihr Verfahren (XWaffe) vor.\n\n"
            "Die Behörde braucht: ein an das Nationale Waffenregister angebundenes "
            "Waffenverwaltungsverfahren, einen Übermittlungsweg (OSCI/XTA mit DVDV-Eintrag oder "
            "FIT-Connect) und ePayBL für die Gebühren."
        ),
        "description_en": (
            "Gun owners file firearms applications (e.g. for a firearms ownership card or a "
            "purchase permit) and notifications (e.g. of acquiring or transferring a weapon) "
            "online. They sign in with their user account, upload evidence and pay fees "
            "online.\n\n"
            "The weapons authority receives the application or notification with attachments "
            "via the delivery channel in its weapons administration system. It records entries "
            "in the National Weapons Register through its system (XWaffe) as before.\n\n"
            "The authority needs: a weapons administration system connected to the National "
            "Weapons Register, a delivery channel (OSCI/XTA registered in DVDV or FIT-Connect) "
            "and ePayBL for the fees."
        ),
        "level": "district",
        "responsible_authority": "Waffenbehörde (Landratsamt oder kreisfreie Stadt)",
        "responsible_authority_en": "Weapons authority (district office or county town)",
        "origin": (
            "Online-Dienst nach dem Einer-für-Alle-Prinzip (EfA); Nachnutzung über den "
            "Generalunternehmer des Landes."
        ),
        "origin_en": (
            "Online service following the one-for-all (EfA) principle; re-used via the state's "
            "general contractor."
        ),
        "status": "available",
        "prerequisites": ["bundid", "bayernid", "epaybl", "osci-xta-dvdv", "fit-connect"],
        "fachverfahren": ["xwaffe"],
        "funding": "fachverfahrensanbindung-bayern",
        "costs": EPAYBL_COSTS,
    },
    {
        "slug": "bauantrag",
        "position": 50,
        "name": "Bauantrag / Bauvorbescheid",
        "name_en": "Building permit / preliminary building decision",
        "short_description": (
            "Bauantrag und Antrag auf Vorbescheid digital einreichen – mit allen Bauvorlagen "
            "als Dateien."
        ),
        "short_description_en": (
            "Submit building permit and preliminary decision applications digitally – with all "
            "building documents as files."
        ),
        "description": (
            "Bauherrinnen, Bauherren und Entwurfsverfassende reichen den Bauantrag oder den "
            "Antrag auf Vorbescheid online ein. Sie melden sich mit ihrem Nutzerkonto an, "
            "füllen die Formulardaten aus und laden die Bauvorlagen (Lagepläne, Bauzeichnungen, "
            "Baubeschreibung, Nachweise) als Dateien hoch. Nachforderungen und Bescheid laufen "
            "ebenfalls digital.\n\n"
            "Die untere Bauaufsichtsbehörde erhält Antrag und Bauvorlagen als XBau-Nachricht "
            "über OSCI/XTA in ihrem Baugenehmigungsverfahren; wo die Gemeinde am Verfahren "
            "beteiligt ist, wird sie digital eingebunden.\n\n"
            "Die Behörde braucht: ein XBau-fähiges Baugenehmigungsverfahren, einen "
            "OSCI/XTA-Empfang mit DVDV-Eintrag und ePayBL, wo Gebühren online erhoben werden."
        ),
        "description_en": (
            "Builders and architects submit the building permit application or the request for "
            "a preliminary decision online. They sign in with their user account, fill in the "
            "form data and upload the building documents (site plans, drawings, description, "
            "certificates) as files. Requests for more documents and the decision are digital "
            "as well.\n\n"
            "The lower building supervisory authority receives application and documents as an "
            "XBau message via OSCI/XTA in its building permit system; where the municipality "
            "takes part in the procedure it is involved digitally.\n\n"
            "The authority needs: an XBau-capable building permit system, an OSCI/XTA receiver "
            "registered in DVDV and ePayBL where fees are charged online."
        ),
        "level": "district",
        "responsible_authority": (
            "Untere Bauaufsichtsbehörde (Landratsamt, kreisfreie Stadt oder Große Kreisstadt)"
        ),
        "responsible_authority_en": (
            "Lower building supervisory authority (district office, county town or major "
            "district town)"
        ),
        "origin": (
            "Online-Dienst „Digitaler Bauantrag“ nach dem Einer-für-Alle-Prinzip (EfA); "
            "Datenaustausch nach dem XÖV-Standard XBau."
        ),
        "origin_en": (
            "Online service “digital building permit” following the one-for-all (EfA) "
            "principle; data exchange per the XÖV standard XBau."
        ),
        "status": "available",
        "prerequisites": ["bundid", "bayernid", "epaybl", "osci-xta-dvdv"],
        "fachverfahren": ["xbau"],
        "funding": "fachverfahrensanbindung-bayern",
        "costs": EPAYBL_COSTS,
    },
]

# Who is responsible, per state and service: (applies to, provider, legal basis). A service
# without a rule for a state follows its level there. Bavaria's rules; other states are
# entered by operators (admin: Zuständigkeitsregeln) when they join.
_KVB = (
    "Kreisverwaltungsbehörde: Landratsamt (Art. 37 Abs. 1 LKrO) oder kreisfreie Gemeinde "
    "(Art. 9 Abs. 1 GO)"
)
RESPONSIBILITY_RULES: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "09": {
        "ewohnsitz": [
            ("all", "municipal", "Meldebehörden sind die Gemeinden (Art. 1 BayAGBMG); in "
             "Verwaltungsgemeinschaften nimmt die Verwaltungsgemeinschaft die Aufgabe wahr "
             "(Art. 4 Abs. 1 VGemO)."),
        ],
        "fuehrerschein": [
            ("all", "district", f"Fahrerlaubnisbehörde ist die untere Verwaltungsbehörde "
             f"(§ 73 Abs. 1 FeV), in Bayern die {_KVB}."),
        ],
        "aufenthalt-digital": [
            ("all", "district", f"Ausländerbehörde (§ 71 Abs. 1 AufenthG) ist in Bayern die "
             f"{_KVB}."),
        ],
        "ewaffe": [
            ("all", "district", f"Waffenbehörde (§ 48 Abs. 1 WaffG) ist in Bayern die {_KVB}."),
        ],
        "bauantrag": [
            ("all", "district", "Untere Bauaufsichtsbehörden sind die Kreisverwaltungsbehörden "
             "(Art. 53 Abs. 1 Satz 1 BayBO)."),
            ("grosse_kreisstadt", "own", "Große Kreisstädte sind untere "
             "Bauaufsichtsbehörde für ihr Gebiet (Art. 9 Abs. 2 GO i. V. m. § 1 Abs. 1 Nr. 1 "
             "GrKrV)."),
            ("transferred", "own", "Übertragung der Aufgaben der unteren "
             "Bauaufsichtsbehörde auf eine kreisangehörige Gemeinde durch Rechtsverordnung "
             "(Art. 53 Abs. 2 BayBO)."),
        ],
    },
}  # fmt: skip
