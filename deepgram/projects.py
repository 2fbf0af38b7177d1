"""Projects: list, get, update, delete (and the legacy ``create``)."""

from typing import Any, Optional

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path, query_pairs
from .errors import DeepgramSetupError


def project_id_of(project_id: Any, id: Any = None) -> Any:
    """Accept ``project_id`` positionally, ``id=`` (0.1.x) or a project dict (the 2.x README)."""
    if project_id is None:
        project_id = id
    if isinstance(project_id, dict):
        project_id = project_id.get("project_id")
    if project_id is None:
        raise DeepgramSetupError("project_id is required (pass it first, or as id=...).")
    return project_id


class Projects(Resource):
    """The ``/projects`` endpoints."""

    def list(self) -> Any:
        """List the projects this key can reach."""
        return self._send(Request("GET", "/projects"))

    def get(self, project_id: Any = None, *, id: Any = None, limit: Optional[int] = None,
            page: Optional[int] = None) -> Any:
        """Get one project (``limit`` and ``page`` page through its listings)."""
        pid = project_id_of(project_id, id)
        query = query_pairs({"limit": limit, "page": page})
        return self._send(Request("GET", path("/projects/{p}", p=pid), query=query))

    def create(self, name: str) -> Any:
        """POST ``/projects`` as 2.x did; the public API has no such endpoint."""
        return self._send(Request("POST", "/projects", json={"name": name},
                                  content_type="application/json"))

    def update(self, project_id: Any = None, name: Optional[str] = None,
               company: Optional[str] = None, *, id: Any = None, **payload: Any) -> Any:
        """Update a project's name or company; every 0.x–2.x call shape is accepted."""
        body = dict(project_id) if isinstance(project_id, dict) else {}
        body.pop("project_id", None)
        explicit = {"name": name, "company": company, **payload}
        body.update({k: v for k, v in explicit.items() if v is not None})
        body = {k: v for k, v in body.items() if v is not None}
        if not body:
            raise DeepgramSetupError("projects.update needs something to change, e.g. name='New name'.")
        pid = project_id_of(project_id, id)
        return self._send(Request("PATCH", path("/projects/{p}", p=pid), json=body,
                                  content_type="application/json"))

    def delete(self, project_id: Any = None, *, id: Any = None) -> Any:
        """Delete a project."""
        pid = project_id_of(project_id, id)
        return self._send(Request("DELETE", path("/projects/{p}", p=pid)))


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Project', 'ProjectResponse', 'UpdateResponse'}))
