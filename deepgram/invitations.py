"""Invitations to a project: list, send, remove, and leaving a project."""

from typing import Any, Optional

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path
from .errors import DeepgramSetupError


class Invitations(Resource):
    """The ``/projects/{project_id}/invites`` endpoints."""

    def list_invitations(self, project_id: str) -> Any:
        """List the project's pending invitations."""
        return self._send(Request("GET", path("/projects/{p}/invites", p=project_id)))

    def send_invitation(self, project_id: str, option: Optional[dict] = None, **fields: Any) -> Any:
        """Invite someone: ``{"email": ..., "scope": ...}`` as a dict or keywords."""
        if option is not None and not isinstance(option, dict):
            raise DeepgramSetupError("send_invitation takes a dict such as {'email': ..., 'scope': 'member'}.")
        body = {**(option or {}), **fields}
        if not body.get("email"):
            raise DeepgramSetupError("send_invitation needs an email, e.g. {'email': 'a@b.com', 'scope': 'member'}.")
        return self._send(Request("POST", path("/projects/{p}/invites", p=project_id),
                                  json=body, content_type="application/json"))

    def remove_invitation(self, project_id: str, email: str) -> Any:
        """Withdraw the invitation sent to ``email``."""
        return self._send(Request("DELETE", path("/projects/{p}/invites/{e}", p=project_id, e=email)))

    def leave_project(self, project_id: str) -> Any:
        """Leave the project."""
        return self._send(Request("DELETE", path("/projects/{p}/leave", p=project_id)))


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Invitation', 'InvitationResponse'}))
