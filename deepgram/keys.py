"""API keys of a project: list, get, create, delete."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from ._compat import legacy_attribute
from ._resource import Call, M, Resource, endpoint
from ._wire import path, query_pairs
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import CreateKeyResponse, GetKeyResponse, KeysResponse, MessageResponse

_ROOT = "/projects/{p}/keys"


def _key_id(key: Any, key_id: Any) -> Any:
    if key is None:
        key = key_id
    if key is None:
        raise DeepgramSetupError("The key id is required (pass it second, or as key_id=...).")
    return key


class Keys(Resource[M]):
    """The ``/projects/{project_id}/keys`` endpoints."""

    @endpoint
    def list(self, project_id: str, status: Optional[str] = None) -> Call[KeysResponse]:
        """List the project's API keys (``status``: ``"active"`` or ``"expired"``)."""
        return Call("GET", path(_ROOT, p=project_id), query=query_pairs({"status": status}))

    @endpoint
    def get(self, project_id: str, key: Optional[str] = None, *, key_id: Optional[str] = None) -> Call[GetKeyResponse]:
        """Get one API key."""
        kid = _key_id(key, key_id)
        return Call("GET", path(_ROOT + "/{k}", p=project_id, k=kid))

    @endpoint
    def create(self, project_id: str, comment: str, scopes: Union[str, List[str]],
               tags: Optional[List[str]] = None,
               expiration_date: Union[datetime.datetime, str, None] = None,
               time_to_live_in_seconds: Optional[int] = None) -> Call[CreateKeyResponse]:
        """Create an API key; the optional fields are sent only when given."""
        if not isinstance(comment, str) or not comment:
            raise DeepgramSetupError("keys.create needs a comment (a non-empty string).")
        if isinstance(scopes, str):
            scopes = [scopes]
        if not scopes or not all(isinstance(s, str) and s for s in scopes):
            raise DeepgramSetupError("keys.create needs scopes, a list of strings such as ['member'].")
        body: Dict[str, Any] = {"comment": comment, "scopes": list(scopes)}
        for name, value in (("tags", tags), ("expiration_date", expiration_date),
                            ("time_to_live_in_seconds", time_to_live_in_seconds)):
            if value is not None:
                body[name] = value
        return Call("POST", path(_ROOT, p=project_id), json=body,
                    content_type="application/json")

    @endpoint
    def delete(self, project_id: str, key: Optional[str] = None, *,
               key_id: Optional[str] = None) -> Call[MessageResponse]:
        """Delete an API key."""
        kid = _key_id(key, key_id)
        return Call("DELETE", path(_ROOT + "/{k}", p=project_id, k=kid))



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
