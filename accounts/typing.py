"""Types for the signed-in user, so views and selectors need no `Any` for a user.

Django types `request.user` as "the user model or AnonymousUser". Behind `login_required` it is
always the user model: views there take an `AuthenticatedHttpRequest`, which only tells the type
checker so. At run time it is a plain `HttpRequest` (no view ever builds one).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from accounts.models import User

# A visitor who may not be signed in: selectors that also serve the public pages take this.
AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    user: User
