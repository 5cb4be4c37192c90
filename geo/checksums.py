"""The data folder's checksum file: a corrupted or half-copied file is named, never imported.

The folder carries `SHA256SUMS` in the format `sha256sum` writes and `sha256sum -c` checks
(`<64 hex digits>  <file name>` per line), so operators can check a copy by hand with the same
file the importer reads. Every file it lists must be there and match — a half-copied folder
usually lacks a file or holds a truncated one — and every file the importer is about to read
must be listed, so a data file cannot bypass the check by being left out of the list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from geo.importers import GeoDataError

CHECKSUMS_FILE = "SHA256SUMS"
# `sha256sum` marks files read in binary mode with "*" before the name; both forms are valid.
_LINE = re.compile(r"^(?P<digest>[0-9a-fA-F]{64}) [ *](?P<name>[^/\\]+)$")
HOW_TO_WRITE = "sha256sum *.csv *.geojson gebietsstand.txt > SHA256SUMS (macOS: shasum -a 256)"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksums(folder: Path) -> dict[str, str]:
    """File name -> expected SHA-256 from the folder's SHA256SUMS."""
    path = folder / CHECKSUMS_FILE
    if not path.is_file():
        raise GeoDataError(
            path, None, f"Prüfsummendatei fehlt; für einen eigenen Datenordner: {HOW_TO_WRITE}"
        )
    expected: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.rstrip())
        if match is None or match["name"] in {".", ".."}:
            raise GeoDataError(path, number, f"keine Zeile im Format von sha256sum: {line!r}")
        expected[match["name"]] = match["digest"].lower()
    return expected


def data_folder_verify(folder: Path, *, reading: Iterable[str]) -> None:
    """Raise `GeoDataError` naming the first file that is missing, unlisted or altered.

    `reading` are the file names the caller is about to import; the other listed files (the
    map boundaries) are checked too, so a broken map file is caught at setup, not on a page.
    """
    if not folder.is_dir():
        raise GeoDataError(folder, None, "Ordner mit den Referenzdaten nicht gefunden")
    expected = read_checksums(folder)
    for name in reading:
        if name not in expected:
            raise GeoDataError(
                folder / name, None, f"nicht in {CHECKSUMS_FILE} verzeichnet ({HOW_TO_WRITE})"
            )
    for name, digest in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            raise GeoDataError(path, None, f"Datei fehlt (in {CHECKSUMS_FILE} verzeichnet)")
        actual = file_sha256(path)
        if actual != digest:
            raise GeoDataError(
                path,
                None,
                f"Prüfsumme stimmt nicht mit {CHECKSUMS_FILE} überein (beschädigt oder "
                f"unvollständig kopiert?): erwartet {digest[:12]}…, gefunden {actual[:12]}…",
            )
