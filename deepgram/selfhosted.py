"""Self-hosted distribution credentials of a project."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Union

from ._resource import Call, M, Resource, endpoint
from ._wire import path, query_pairs

if TYPE_CHECKING:
    from .types import DistributionCredentialsListResponse, DistributionCredentialsResponse

_ROOT = "/projects/{p}/self-hosted/distribution/credentials"


class SelfHosted(Resource[M]):
    """The ``/projects/{project_id}/self-hosted/distribution/credentials`` endpoints."""

    @endpoint
    def list_credentials(self, project_id: str) -> Call[DistributionCredentialsListResponse]:
        """List the project's distribution credentials."""
        return Call("GET", path(_ROOT, p=project_id))

    @endpoint
    def create_credentials(self, project_id: str, comment: Optional[str] = None,
                           scopes: Union[str, List[str], None] = None,
                           provider: Optional[str] = None) -> Call[DistributionCredentialsResponse]:
        """Create distribution credentials (``scopes`` and ``provider`` go in the query)."""
        query = query_pairs({"scopes": scopes, "provider": provider})
        body = {"comment": comment} if comment is not None else {}
        return Call("POST", path(_ROOT, p=project_id), query=query, json=body,
                    content_type="application/json")

    @endpoint
    def get_credentials(self, project_id: str, credentials_id: str) -> Call[DistributionCredentialsResponse]:
        """Get one set of distribution credentials."""
        return Call("GET", path(_ROOT + "/{c}", p=project_id, c=credentials_id))

    @endpoint
    def delete_credentials(self, project_id: str, credentials_id: str) -> Call[DistributionCredentialsResponse]:
        """Delete one set of distribution credentials."""
        return Call("DELETE", path(_ROOT + "/{c}", p=project_id, c=credentials_id))
