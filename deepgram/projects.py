"""Projects: list, get, update, delete (and the legacy ``create``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from ._compat import legacy_attribute
from ._resource import Call, M, Resource, endpoint
from ._wire import path, query_pairs
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import MessageResponse, Project, ProjectsResponse


def project_id_of(project_id: Any, id: Any = None) -> Any:
    """Accept ``project_id`` positionally, ``id=`` (0.1.x) or a project dict (the 2.x README)."""
    if project_id is None:
        project_id = id
    if isinstance(project_id, dict):
        project_id = project_id.get("project_id")
    if project_id is None:
        raise DeepgramSetupError("project_id is required (pass it first, or as id=...).")
    return project_id


class Projects(Resource[M]):
    """The ``/projects`` endpoints."""

    @endpoint
    def list(self) -> Call[ProjectsResponse]:
        """List the projects this key can reach."""
        return Call("GET", "/projects")

    @endpoint
    def get(self, project_id: Any = None, *, id: Any = None, limit: Optional[int] = None,
            page: Optional[int] = None) -> Call[Project]:
        """Get one project (``limit`` and ``page`` page through its listings)."""
        pid = project_id_of(project_id, id)
        query = query_pairs({"limit": limit, "page": page})
        return Call("GET", path("/projects/{p}", p=pid), query=query)

    @endpoint
    def create(self, name: str) -> Call[Dict[str, Any]]:
        """POST ``/projects`` as 2.x did; the public API has no such endpoint."""
        return Call("POST", "/projects", json={"name": name},
                    content_type="application/json")

    @endpoint
    def update(self, /, project_id: Any = None, name: Optional[str] = None,
               company: Optional[str] = None, *, id: Any = None, **payload: Any) -> Call[MessageResponse]:
        """Update a project's name or company; every 0.x–2.x call shape is accepted."""
        body = dict(project_id) if isinstance(project_id, dict) else {}
        body.pop("project_id", None)
        explicit = {"name": name, "company": company, **payload}
        body.update({k: v for k, v in explicit.items() if v is not None})
        body = {k: v for k, v in body.items() if v is not None}
        if not body:
            raise DeepgramSetupError("projects.update needs something to change, e.g. name='New name'.")
        pid = project_id_of(project_id, id)
        return Call("PATCH", path("/projects/{p}", p=pid), json=body,
                    content_type="application/json")

    @endpoint
    def delete(self, project_id: Any = None, *, id: Any = None) -> Call[MessageResponse]:
        """Delete a project."""
        pid = project_id_of(project_id, id)
        return Call("DELETE", path("/projects/{p}", p=pid))



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
