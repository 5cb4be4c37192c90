"""Small reference-data files from real facts, in both formats the importer reads.

Rows are copied from the Destatis GV-ISys workbook (Gebietsstand 31.12.2024): a
Verwaltungsgemeinschaft (Ihrlerstein: Essing + Ihrlerstein), Einheitsgemeinden, the six pilot
authorities' places and Flensburg, whose state has no Regierungsbezirke.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl

from geo.checksums import CHECKSUMS_FILE, file_sha256

STATES = {"01": "Schleswig-Holstein", "09": "Bayern"}
REGIONS = {
    "091": "Oberbayern",
    "092": "Niederbayern",
    "093": "Oberpfalz",
    "096": "Unterfranken",
    "097": "Schwaben",
}
# ags: (official name, Destatis Kreis-TKZ, CSV kind)
DISTRICTS = {
    "01001": ("Flensburg, Stadt", "41", "Kreisfreie Stadt"),
    "09184": ("München", "44", "Landkreis"),
    "09273": ("Kelheim", "44", "Landkreis"),
    "09375": ("Regensburg", "44", "Landkreis"),
    "09661": ("Aschaffenburg", "41", "Kreisfreie Stadt"),
    "09761": ("Augsburg", "41", "Kreisfreie Stadt"),
    "09772": ("Augsburg", "44", "Landkreis"),
}
ASSOCIATIONS = {"092735215": "Ihrlerstein (VGem)"}


@dataclass(frozen=True)
class Gemeinde:
    ars: str
    official_name: str
    tkz: str
    postal_code: str
    population: int
    area: str
    lat: str
    lon: str

    @property
    def ags(self) -> str:
        return self.ars[:5] + self.ars[9:]

    @property
    def name(self) -> str:
        return self.official_name.split(",")[0]


GEMEINDEN = [
    Gemeinde(
        "010010000000", "Flensburg, Stadt", "61", "24937", 92667, "56.73", "54.78252", "9.43751"
    ),
    Gemeinde(
        "091840139139", "Pullach i.Isartal", "64", "82049", 8989, "7.4", "48.057124", "11.522441"
    ),
    Gemeinde(
        "092730137137", "Kelheim, St", "63", "93309", 17094, "100.23", "48.919056", "11.869879"
    ),
    Gemeinde("092735215121", "Essing, M", "60", "93343", 1144, "17.32", "48.933274", "11.79268"),
    Gemeinde("092735215133", "Ihrlerstein", "64", "93346", 4337, "23.03", "48.940788", "11.861126"),
    Gemeinde(
        "093750165165", "Lappersdorf, M", "60", "93138", 13524, "34.5", "49.050523", "12.088794"
    ),
    Gemeinde(
        "096610000000", "Aschaffenburg", "61", "63701", 72918, "62.45", "49.973506", "9.147832"
    ),
    Gemeinde("097610000000", "Augsburg", "61", "86150", 303150, "146.85", "48.368384", "10.897594"),
    Gemeinde(
        "097720177177", "Meitingen, M", "60", "86405", 12227, "29.87", "48.546777", "10.853749"
    ),
]
KINDS = {"60": "Markt", "61": "Kreisfreie Stadt", "63": "Stadt", "64": "Gemeinde"}


def association_name(gemeinde: Gemeinde) -> str:
    return ASSOCIATIONS.get(gemeinde.ars[:9], gemeinde.official_name)


def write_csv(
    folder: Path, gemeinden: list[Gemeinde] = GEMEINDEN, gebietsstand: str = "2024-12-31"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gebietsstand.txt").write_text(f"{gebietsstand}\n", encoding="utf-8")
    with (folder / "germany_districts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "ags",
                "name",
                "official_name",
                "kind",
                "region_ags",
                "region_name",
                "state_ags",
                "state_name",
                "population",
                "area_km2",
                "municipalities",
            ]
        )
        for ags, (official, _tkz, kind) in DISTRICTS.items():
            region = ags[:3] if ags[:3] in REGIONS else ""
            writer.writerow(
                [ags, official.split(",")[0], official, kind, region, REGIONS.get(region, ""),
                 ags[:2], STATES[ags[:2]], 0, 0, 0]
            )  # fmt: skip
    with (folder / "germany_municipalities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "ags",
                "name",
                "kind",
                "district_ags",
                "district_name",
                "region_name",
                "population",
                "lat",
                "lon",
                "official_name",
                "kind_code",
                "ars",
                "district_kind",
                "district_official_name",
                "region_ags",
                "state_ags",
                "state_name",
                "municipal_association",
                "postal_code",
                "area_km2",
                "population_male",
                "population_female",
            ]
        )
        for g in gemeinden:
            official, _tkz, district_kind = DISTRICTS[g.ags[:5]]
            region = g.ags[:3] if g.ags[:3] in REGIONS else ""
            writer.writerow(
                [g.ags, g.name, KINDS[g.tkz], g.ags[:5], official.split(",")[0],
                 REGIONS.get(region, ""), g.population, g.lat, g.lon, g.official_name, g.tkz,
                 g.ars, district_kind, official, region, g.ags[:2], STATES[g.ags[:2]],
                 association_name(g), g.postal_code, g.area, 0, 0]
            )  # fmt: skip
    return write_checksums(folder)


def write_checksums(folder: Path) -> Path:
    """The folder's SHA256SUMS as `sha256sum *.csv *.geojson` writes it (the importer's check)."""
    patterns = ("*.csv", "*.geojson", "gebietsstand.txt")
    names = sorted(p.name for pattern in patterns for p in folder.glob(pattern))
    lines = [f"{file_sha256(folder / name)}  {name}\n" for name in names]
    (folder / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")
    return folder


def write_workbook(path: Path, gemeinden: list[Gemeinde] = GEMEINDEN) -> Path:
    """The layout of Destatis' 'Onlineprodukt_Gemeinden' sheet, header rows and footnotes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.title = "Inhalt"
    sheet = book.create_sheet("Onlineprodukt_Gemeinden31122024")
    sheet.append(["Gemeinden in Deutschland nach Fläche, Bevölkerung und Postleitzahl"])
    sheet.append([])
    sheet.append(
        ["Satz-art", "Text-kenn-zeichen", "Amtlicher Regionalschlüssel (ARS)", None, None, None,
         None, "Gemeindename", "Fläche km2 1)", "Bevölkerung auf Grundlage des Zensus 20112)",
         None, None, None, "Postleit-zahl3)", "Geografische Mittelpunktkoordinaten"]
    )  # fmt: skip
    sheet.append(
        [None, None, "Land", "RB", "Kreis", "VB", "Gem", None, None, "insgesamt", "männlich",
         "weiblich", "je km2", None, "Längengrad", "Breitengrad"]
    )  # fmt: skip
    sheet.append([None, None, "Gebietsstand am 31.12.2024 (4. Quartal)"])
    sheet.append([])
    seen: set[str] = set()
    for g in sorted(gemeinden, key=lambda g: g.ars):
        land, rb, kreis, vb, gem = g.ars[:2], g.ars[2], g.ars[3:5], g.ars[5:9], g.ars[9:]
        if land not in seen:
            sheet.append(["10", None, land, None, None, None, None, STATES[land]])
        if land + rb in REGIONS and land + rb not in seen:
            sheet.append(["20", None, land, rb, None, None, None, REGIONS[land + rb]])
        if g.ags[:5] not in seen:
            official, tkz, _kind = DISTRICTS[g.ags[:5]]
            sheet.append(["40", tkz, land, rb, kreis, None, None, official])
        if g.ars[:9] not in seen:
            tkz = "54" if g.ars[:9] in ASSOCIATIONS else "50"
            sheet.append(["50", tkz, land, rb, kreis, vb, None, association_name(g)])
        seen |= {land, land + rb, g.ags[:5], g.ars[:9]}
        sheet.append(
            ["60", g.tkz, land, rb, kreis, vb, gem, g.official_name, float(g.area), g.population,
             0, 0, 0, g.postal_code, g.lon.replace(".", ","), g.lat.replace(".", ",")]
        )  # fmt: skip
    sheet.append([])
    sheet.append(["Quelle: Gemeindeverzeichnis-Informationssytem GV-ISys"])
    sheet.append(["1) Abweichungen bei den Flächenangaben sind durch Runden möglich."])
    book.save(path)
    return path


def with_population(gemeinden: list[Gemeinde], ags: str, population: int) -> list[Gemeinde]:
    return [replace(g, population=population) if g.ags == ags else g for g in gemeinden]
