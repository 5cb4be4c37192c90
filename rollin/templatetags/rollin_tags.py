from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from rollin.models import Rollin
from rollin.selectors import RollinPanel, rollin_panel

if TYPE_CHECKING:
    from django.template import Context

    from accounts.typing import AnyUser

register = template.Library()


@register.simple_tag(takes_context=True)
def rollin_panel_for(context: Context, rollin: Rollin, user: AnyUser) -> RollinPanel:
    """The partial's data: built by rollin.selectors, so the template holds no rules.

    A rollin view that re-renders the order page after bad input leaves the submitted forms
    on the request (see rollin.views._rerender), so they come back with what was typed.
    """
    request = context.get("request")
    return rollin_panel(rollin, user, bound=getattr(request, "rollin_bound_forms", None))
