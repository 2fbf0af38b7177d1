"""Members of a project: list and remove."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compat import legacy_attribute
from ._resource import Call, M, Resource, endpoint
from ._wire import path

if TYPE_CHECKING:
    from .types import MembersResponse, MessageResponse


class Members(Resource[M]):
    """The ``/projects/{project_id}/members`` endpoints."""

    @endpoint
    def list_members(self, project_id: str) -> Call[MembersResponse]:
        """List the project's members."""
        return Call("GET", path("/projects/{p}/members", p=project_id))

    @endpoint
    def remove_member(self, project_id: str, member_id: str) -> Call[MessageResponse]:
        """Remove a member from the project."""
        return Call(
                    "DELETE", path("/projects/{p}/members/{m}", p=project_id, m=member_id))



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
