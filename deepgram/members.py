"""Members of a project: list and remove."""

from typing import Any

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path


class Members(Resource):
    """The ``/projects/{project_id}/members`` endpoints."""

    def list_members(self, project_id: str) -> Any:
        """List the project's members."""
        return self._send(Request("GET", path("/projects/{p}/members", p=project_id)))

    def remove_member(self, project_id: str, member_id: str) -> Any:
        """Remove a member from the project."""
        return self._send(Request(
            "DELETE", path("/projects/{p}/members/{m}", p=project_id, m=member_id)))


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Member'}))
