"""Short-lived access tokens."""

from typing import Any, Optional

from ._resource import Resource
from ._wire import Request
from .errors import DeepgramSetupError


class Auth(Resource):
    """The ``/auth`` endpoints."""

    def grant(self, ttl_seconds: Optional[float] = None) -> Any:
        """Mint a temporary access token (``{"access_token", "expires_in"}``); 30 s unless told."""
        body = {}
        if ttl_seconds is not None:
            if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, (int, float)) or not 1 <= ttl_seconds <= 3600:
                raise DeepgramSetupError(f"ttl_seconds must be a number from 1 to 3600, got {ttl_seconds!r}.")
            body["ttl_seconds"] = ttl_seconds
        return self._send(Request("POST", "/auth/grant", json=body, content_type="application/json"))
