"""Short-lived access tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ._resource import Call, M, Resource, endpoint
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from .types import GrantTokenResponse


class Auth(Resource[M]):
    """The ``/auth`` endpoints."""

    @endpoint
    def grant(self, ttl_seconds: Optional[float] = None) -> Call[GrantTokenResponse]:
        """Mint a temporary access token (``{"access_token", "expires_in"}``); 30 s unless told."""
        body = {}
        if ttl_seconds is not None:
            number = isinstance(ttl_seconds, (int, float)) and not isinstance(ttl_seconds, bool)
            if not number or not 1 <= ttl_seconds <= 3600:
                raise DeepgramSetupError(f"ttl_seconds must be a number from 1 to 3600, got {ttl_seconds!r}.")
            body["ttl_seconds"] = ttl_seconds
        return Call("POST", "/auth/grant", json=body, content_type="application/json")
