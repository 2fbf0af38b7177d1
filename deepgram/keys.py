"""API keys of a project: list, get, create, delete."""

import datetime  # noqa: F401  (2.x exposed deepgram.keys.datetime)
from typing import Any, List, Optional, Union

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path, query_pairs
from .errors import DeepgramSetupError

_ROOT = "/projects/{p}/keys"


def _key_id(key: Any, key_id: Any) -> Any:
    if key is None:
        key = key_id
    if key is None:
        raise DeepgramSetupError("The key id is required (pass it second, or as key_id=...).")
    return key


class Keys(Resource):
    """The ``/projects/{project_id}/keys`` endpoints."""

    def list(self, project_id: str, status: Optional[str] = None) -> Any:
        """List the project's API keys (``status``: ``"active"`` or ``"expired"``)."""
        return self._send(Request("GET", path(_ROOT, p=project_id), query=query_pairs({"status": status})))

    def get(self, project_id: str, key: Optional[str] = None, *, key_id: Optional[str] = None) -> Any:
        """Get one API key."""
        kid = _key_id(key, key_id)
        return self._send(Request("GET", path(_ROOT + "/{k}", p=project_id, k=kid)))

    def create(self, project_id: str, comment: str, scopes: Union[str, List[str]],
               tags: Optional[List[str]] = None,
               expiration_date: Union[datetime.datetime, str, None] = None,
               time_to_live_in_seconds: Optional[int] = None) -> Any:
        """Create an API key; the optional fields are sent only when given."""
        if not isinstance(comment, str) or not comment:
            raise DeepgramSetupError("keys.create needs a comment (a non-empty string).")
        if isinstance(scopes, str):
            scopes = [scopes]
        if not scopes or not all(isinstance(s, str) and s for s in scopes):
            raise DeepgramSetupError("keys.create needs scopes, a list of strings such as ['member'].")
        body = {"comment": comment, "scopes": list(scopes)}
        for name, value in (("tags", tags), ("expiration_date", expiration_date),
                            ("time_to_live_in_seconds", time_to_live_in_seconds)):
            if value is not None:
                body[name] = value
        return self._send(Request("POST", path(_ROOT, p=project_id), json=body,
                                  content_type="application/json"))

    def delete(self, project_id: str, key: Optional[str] = None, *, key_id: Optional[str] = None) -> Any:
        """Delete an API key."""
        kid = _key_id(key, key_id)
        return self._send(Request("DELETE", path(_ROOT + "/{k}", p=project_id, k=kid)))


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Key', 'KeyBundle', 'KeyResponse'}))
