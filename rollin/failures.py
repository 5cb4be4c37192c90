"""What a failed connector call means for people: a sentence, not an HTTP status.

The connector's technical error ("HTTP 503: {…}") stays in the item, the roll-in and the
history entry's detail, for coordinators; everyone reads one of these sentences, stored as a
key and parameters (portal.system_text) so each reader gets their language.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_noop

from portal.system_text import moment

RETRY_UNREACHABLE = gettext_noop(
    "Das Fachverfahren war nicht erreichbar; nächster Versuch um %(time)s."
)
RETRY_REFUSED = gettext_noop(
    "Das Fachverfahren hat den Schritt abgelehnt; nächster Versuch um %(time)s."
)
GAVE_UP_UNREACHABLE = gettext_noop(
    "Das Fachverfahren war auch nach mehreren Versuchen nicht erreichbar; "
    "die Koordination prüft die Anbindung."
)
# Entries written before the retry time was kept (rollin migration 0008).
UNREACHABLE = gettext_noop("Das Fachverfahren war nicht erreichbar.")
REFUSED = gettext_noop("Das Fachverfahren hat den Schritt abgelehnt.")
GAVE_UP_REFUSED = gettext_noop(
    "Das Fachverfahren hat den Schritt mehrmals abgelehnt; die Koordination prüft die Anbindung."
)


def _refused(error: str) -> bool:
    """An HTTP 4xx answer: the Fachverfahren answered and said no. Everything else (5xx,
    timeouts, refused connections) means it could not be reached."""
    return error.startswith("HTTP 4")


def connector_failure(
    error: str, next_attempt_at: datetime.datetime | None
) -> tuple[str, dict[str, Any]]:
    """The key and parameters of the sentence for a failed call: retried at `next_attempt_at`,
    or given up when there is none."""
    if next_attempt_at is None:
        return (GAVE_UP_REFUSED if _refused(error) else GAVE_UP_UNREACHABLE), {}
    key = RETRY_REFUSED if _refused(error) else RETRY_UNREACHABLE
    return key, {"time": moment(next_attempt_at)}
