"""Sign-ins and failed sign-ins: a line in the security log and a row in the audit trail.

The receivers only hand over to audit_login(); the credentials are never logged (Django
already strips the password from the `credentials` of user_login_failed, and we keep only
the e-mail address that was tried)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User

security_log = logging.getLogger("digitalmarkt.security")

LOGIN_SUCCEEDED = "login_succeeded"
LOGIN_FAILED = "login_failed"


def _remote_addr(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR, not X-Forwarded-For: behind the proxy the header is client-controlled.
    return request.META.get("REMOTE_ADDR") or None


def audit_login(
    *, event: str, email: str, user: User | None = None, request: HttpRequest | None
) -> None:
    remote_addr = _remote_addr(request)
    level = logging.INFO if event == LOGIN_SUCCEEDED else logging.WARNING
    security_log.log(
        level,
        event,
        extra={"event": event, "email": email, "user_id": getattr(user, "pk", None),
               "remote_addr": remote_addr},
    )  # fmt: skip
    user_model = get_user_model()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(user_model),
        object_pk=str(user.pk) if user is not None else "",
        object_id=user.pk if user is not None else None,
        object_repr=email[:254],
        action=LogEntry.Action.ACCESS,
        changes={"event": [None, event]},
        changes_text=event,
        actor=user if event == LOGIN_SUCCEEDED else None,
        remote_addr=remote_addr,
        additional_data={"event": event},
    )


def _on_logged_in(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    audit_login(event=LOGIN_SUCCEEDED, email=user.email, user=user, request=request)


def _on_login_failed(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    audit_login(event=LOGIN_FAILED, email=email, user=user, request=request)


def connect() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="audit.login_succeeded")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit.login_failed")
