"""One version of the reference data every figure page names and weighs: services, stages,
states' targets, authorities, municipalities and who is responsible for what.

Pages cached by the versions of their figures (rollin.figure_versions) add this one to their
key, so an operator's edit or an import shows at once. It lives here, below the apps whose
data it stands for, so that their bulk writers (a responsibility rebuild) can move it too;
rollin.apps moves it on every save and delete of those models.
"""

from __future__ import annotations

from portal.cache import cache_forget

REFERENCE_KEY = "figures:version:reference"


def reference_changed() -> None:
    """Forget the version: the next reader draws a new one (see rollin.figure_versions)."""
    cache_forget([REFERENCE_KEY])
