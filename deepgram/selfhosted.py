"""Self-hosted distribution credentials of a project."""

from typing import Any, List, Optional, Union

from ._resource import Resource
from ._wire import Request, path, query_pairs

_ROOT = "/projects/{p}/self-hosted/distribution/credentials"


class SelfHosted(Resource):
    """The ``/projects/{project_id}/self-hosted/distribution/credentials`` endpoints."""

    def list_credentials(self, project_id: str) -> Any:
        """List the project's distribution credentials."""
        return self._send(Request("GET", path(_ROOT, p=project_id)))

    def create_credentials(self, project_id: str, comment: Optional[str] = None,
                           scopes: Union[str, List[str], None] = None, provider: Optional[str] = None) -> Any:
        """Create distribution credentials (``scopes`` and ``provider`` go in the query)."""
        query = query_pairs({"scopes": scopes, "provider": provider})
        body = {"comment": comment} if comment is not None else {}
        return self._send(Request("POST", path(_ROOT, p=project_id), query=query, json=body,
                                  content_type="application/json"))

    def get_credentials(self, project_id: str, credentials_id: str) -> Any:
        """Get one set of distribution credentials."""
        return self._send(Request("GET", path(_ROOT + "/{c}", p=project_id, c=credentials_id)))

    def delete_credentials(self, project_id: str, credentials_id: str) -> Any:
        """Delete one set of distribution credentials."""
        return self._send(Request("DELETE", path(_ROOT + "/{c}", p=project_id, c=credentials_id)))
