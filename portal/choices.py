"""Choice lists of reference data kept in the process's memory, per version of that data.

A coordination filter offers services, states, regions and districts: the white-spot page of a
coordinator of all Germany 400 districts and 50 services. Django builds such a list from model
instances on every request (one instance, one `str()` and one translation per option), which
took a fifth of the page. The list changes only with the reference data, whose version the
caller passes (rollin.figure_versions.reference_version moves with every save of a service, a
state or an area): a list is built once per process, language, version and query.

Only the offered list is kept. A submitted value is still checked against the field's queryset,
so a choice the list did not offer (or no longer offers) is refused as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.cache import caches
from django.utils.translation import get_language

CHOICES_ALIAS = "choices"
# Entries of an older version are never read again; the lifetime frees their memory.
KEPT_SECONDS = 60 * 60


def keep_choices(form: forms.Form, names: Iterable[str], version: str) -> None:
    """Offer the choices of the form's model choice fields `names` from the process's memory,
    each list built now if not kept yet.

    Call it after the fields' querysets are final: the key names the query, so the query must
    read reference data only. A list scoped to a user names the user's states by their ids
    (dashboard.access.coordinated_states), not by a join over the user's memberships, whose
    change would leave the query and so the key as they were."""
    memo = caches[CHOICES_ALIAS]
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField), name
        key = _key(field, version)
        choices: list[tuple[str, str]] | None = memo.get(key)
        if choices is None:
            # The field's own choices: ("", empty label), then (pk, label_from_instance) per row.
            choices = [(str(value), str(label)) for value, label in field.iterator(field)]
            memo.set(key, choices, KEPT_SECONDS)
        field.choices = choices


def _key(field: forms.ModelChoiceField[Any], version: str) -> str:
    queryset = field.queryset
    assert queryset is not None, "a model choice field offers its queryset's rows"
    sql, params = queryset.query.sql_with_params()
    return "choices:" + _digest(
        get_language() or "",
        version,
        str(field.empty_label),
        type(field).__qualname__,
        sql,
        repr(params),
    )


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
