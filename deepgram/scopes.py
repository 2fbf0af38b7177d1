"""Scopes of a project member: get and update."""

from typing import Any

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path
from .errors import DeepgramSetupError

_PATH = "/projects/{p}/members/{m}/scopes"


class Scopes(Resource):
    """The ``/projects/{project_id}/members/{member_id}/scopes`` endpoints."""

    def get_scope(self, project_id: str, member_id: str) -> Any:
        """Get a member's scopes."""
        return self._send(Request("GET", path(_PATH, p=project_id, m=member_id)))

    def update_scope(self, project_id: str, member_id: str, scope: str) -> Any:
        """Give a member a new scope, such as ``"admin"`` or ``"member"``."""
        if not isinstance(scope, str) or not scope:
            raise DeepgramSetupError("update_scope needs a scope, such as 'admin' or 'member'.")
        return self._send(Request("PUT", path(_PATH, p=project_id, m=member_id),
                                  json={"scope": scope}, content_type="application/json"))


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Scope', 'UpdateResponse'}))
