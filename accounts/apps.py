from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Benutzer und Rollen")

    def ready(self) -> None:
        from accounts.models import User

        # Every change of a user moves the version their kept copy is read under
        # (accounts.session_user, portal.user_version): the next request reads the row again.
        post_save.connect(_user_saved, sender=User, dispatch_uid="accounts.user_saved")
        post_delete.connect(_user_saved, sender=User, dispatch_uid="accounts.user_deleted")
        m2m_changed.connect(
            _states_changed, sender=User.states.through, dispatch_uid="accounts.states_changed"
        )


def _user_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from portal.user_version import users_changed

    users_changed([instance.pk])


def _states_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    from portal.user_version import users_changed

    if not action.startswith("post_"):
        return
    # From a state's side (no accessor today, related_name="+"), pk_set names the users.
    users_changed((kwargs["pk_set"] or []) if reverse else [instance.pk])
