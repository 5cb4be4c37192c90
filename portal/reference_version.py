"""One version of the reference data every figure page names and weighs: services, stages,
states' targets, authorities, municipalities and who is responsible for what.

Pages cached by the versions of their figures (rollin.figure_versions) add this one to their
key, so an operator's edit or an import shows at once. It lives here, below the apps whose
data it stands for, so that their bulk writers (a responsibility rebuild) can move it too;
rollin.apps moves it on every save and delete of those models.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

REFERENCE_KEY = "figures:version:reference"


def reference_changed() -> None:
    """Forget the version now and when the transaction commits (see rollin.figure_versions)."""
    cache.delete(REFERENCE_KEY)
    transaction.on_commit(lambda: cache.delete(REFERENCE_KEY))
