"""The private helpers of 2.x, kept because user code imports them."""

from typing import IO, Any, Dict, Mapping, Optional, Union

from ._compat import legacy_attribute
from ._config import parse_options
from ._settings import call_timeout
from ._wire import Request, make_query_string

Payload = Optional[Union[Dict[str, Any], str, bytes, IO[Any]]]
RETRY_COUNT = 4


def _prepare_headers(options: Any, headers: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Return ``headers`` plus the Authorization and User-Agent headers."""
    _, config = parse_options(options)
    return {**(headers or {}), "Authorization": config.authorization, "User-Agent": config.user_agent}


def _normalize_payload(payload: Payload) -> Any:
    """Encode a dict as JSON and a str as UTF-8; pass bytes and files through."""
    if payload is None:
        return None
    if isinstance(payload, dict):
        import json

        return json.dumps(payload).encode("utf-8")
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return payload


def _make_query_string(params: Any = None) -> str:
    """Return the legacy query string (``?a=true&b=1``) for ``params``."""
    return make_query_string(params)


def _legacy_request(path: str, method: str, payload: Payload, headers: Optional[Mapping[str, Any]],
                    timeout: Any) -> Request:
    content_type = {k.lower(): v for k, v in (headers or {}).items()}.get("content-type")
    return Request(method.upper(), path, body=_normalize_payload(payload),
                   content_type=content_type, timeout=call_timeout(timeout))


async def _request(path: str, options: Any, method: str = "GET", payload: Payload = None,
                   headers: Optional[Mapping[str, Any]] = None, timeout: Any = None) -> Any:
    """Send one request the 2.x way (``path`` may carry its query string)."""
    from ._http import AsyncSender

    _, config = parse_options(options)
    return await AsyncSender(config)(_legacy_request(path, method, payload, headers, timeout))


def _sync_request(path: str, options: Any, method: str = "GET", payload: Payload = None,
                  headers: Optional[Mapping[str, Any]] = None, timeout: Any = None) -> Any:
    """Blocking twin of ``_request``."""
    from ._http import SyncSender

    _, config = parse_options(options)
    return SyncSender(config)(_legacy_request(path, method, payload, headers, timeout))



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
