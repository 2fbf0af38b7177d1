"""Scopes of a project member: get and update."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compat import legacy_attribute
from ._resource import Call, M, Resource, endpoint
from ._wire import path
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import MessageResponse, ScopesResponse

_PATH = "/projects/{p}/members/{m}/scopes"


class Scopes(Resource[M]):
    """The ``/projects/{project_id}/members/{member_id}/scopes`` endpoints."""

    @endpoint
    def get_scope(self, project_id: str, member_id: str) -> Call[ScopesResponse]:
        """Get a member's scopes."""
        return Call("GET", path(_PATH, p=project_id, m=member_id))

    @endpoint
    def update_scope(self, project_id: str, member_id: str, scope: str) -> Call[MessageResponse]:
        """Give a member a new scope, such as ``"admin"`` or ``"member"``."""
        if not isinstance(scope, str) or not scope:
            raise DeepgramSetupError("update_scope needs a scope, such as 'admin' or 'member'.")
        return Call("PUT", path(_PATH, p=project_id, m=member_id),
                    json={"scope": scope}, content_type="application/json")



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
