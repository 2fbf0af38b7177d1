"""Invitations to a project: list, send, remove, and leaving a project."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compat import legacy_attribute
from ._resource import Call, M, Query, Resource, endpoint
from ._wire import path
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import InvitesResponse, MessageResponse


class Invitations(Resource[M]):
    """The ``/projects/{project_id}/invites`` endpoints."""

    @endpoint
    def list_invitations(self, project_id: str) -> Call[InvitesResponse]:
        """List the project's pending invitations."""
        return Call("GET", path("/projects/{p}/invites", p=project_id))

    @endpoint
    def send_invitation(self, /, project_id: str, option: Query = None, **fields: Any) -> Call[MessageResponse]:
        """Invite someone: ``{"email": ..., "scope": ...}`` as a dict or keywords."""
        if option is not None and not isinstance(option, dict):
            raise DeepgramSetupError("send_invitation takes a dict such as {'email': ..., 'scope': 'member'}.")
        body = {**(option or {}), **fields}
        if not body.get("email"):
            raise DeepgramSetupError("send_invitation needs an email, e.g. {'email': 'a@b.com', 'scope': 'member'}.")
        return Call("POST", path("/projects/{p}/invites", p=project_id),
                    json=body, content_type="application/json")

    @endpoint
    def remove_invitation(self, project_id: str, email: str) -> Call[MessageResponse]:
        """Withdraw the invitation sent to ``email``."""
        return Call("DELETE", path("/projects/{p}/invites/{e}", p=project_id, e=email))

    @endpoint
    def leave_project(self, project_id: str) -> Call[MessageResponse]:
        """Leave the project."""
        return Call("DELETE", path("/projects/{p}/leave", p=project_id))



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
