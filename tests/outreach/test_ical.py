"""The iCalendar writer: CRLF lines, escaped text, folding at 75 octets (RFC 5545 3.1, 3.3.11)."""

from __future__ import annotations

import datetime

from outreach import ical

START = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


def _event(**kwargs: object) -> ical.Event:
    values: dict = {
        "uid": "training-1-2@digitalmarkt.example",
        "start": START,
        "end": START + datetime.timedelta(hours=2),
        "summary": "Schulung: eWohnsitz",
    }
    values.update(kwargs)
    return ical.Event(**values)


def test_lines_end_in_crlf_and_times_are_utc() -> None:
    text = ical.calendar(_event(), now=START)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\r\nDTSTART:20261210T090000Z\r\n" in text
    assert "\r\nDTEND:20261210T110000Z\r\n" in text
    assert "\n" not in text.replace("\r\n", "")


def test_text_is_escaped() -> None:
    text = ical.calendar(_event(location="Raum 1; Haus A, 2. OG\nSaal"), now=START)
    assert "LOCATION:Raum 1\\; Haus A\\, 2. OG\\nSaal\r\n" in text


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    summary = "Schulung für die Führerscheinstelle: " + "ä" * 80
    text = ical.calendar(_event(summary=summary), now=START)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert f"SUMMARY:{summary}\r\n" in unfolded
