"""Pure checkout rules (no database). Who may order what is catalog.rules.service_order_blocker."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def already_ordered_message() -> str:
    return _("Diese Leistung ist für Ihre Behörde bereits bestellt.")


def golive_error(desired: datetime.date, today: datetime.date) -> str | None:
    if desired < today:
        return _("Der gewünschte Start darf nicht in der Vergangenheit liegen.")
    return None


def fachverfahren_error(
    *, chosen_id: int | None, other_text: str, compatible_ids: set[int]
) -> str | None:
    if chosen_id is None:
        if not other_text.strip():
            return _(
                "Bitte wählen Sie Ihr Fachverfahren aus oder beschreiben Sie unter "
                "„Anderes Fachverfahren“, welches Sie einsetzen."
            )
        return None
    if chosen_id not in compatible_ids:
        return _("Dieses Fachverfahren ist mit der Leistung nicht kompatibel.")
    return None
