"""The two HTTP transports (aiohttp, requests) and the senders that drive them.

Only this module (and the live client) touches the network libraries, and only lazily, so
``import deepgram`` stays fast. Each transport turns library exceptions into the SDK's error
tree at the edge, with ``raise ... from exc``.
"""

import time
from typing import Any, Mapping, Tuple

from ._config import Config, Timeout
from ._wire import Request, build_headers, build_url, json_body, parse_response, raise_for_status
from .errors import DeepgramConnectionError, DeepgramTimeoutError


def _log() -> Any:
    import logging  # lazily: logging costs ~5 ms of import time

    return logging.getLogger("deepgram")

RawResponse = Tuple[int, Mapping[str, str], bytes]


def _body(request: Request) -> Any:
    return json_body(request) if request.json is not None else request.body


def _finish(config: Config, request: Request, raw: RawResponse, started: float) -> Any:
    status, headers, body = raw
    _log().debug(
        "%s %s -> %s in %.3fs (request id %s)", request.method, request.path, status,
        time.monotonic() - started, headers.get("dg-request-id"),
    )
    if request.expect == "raw":
        raise_for_status(status, headers, body)
        return raw
    return parse_response(config, status, headers, body)


# ---------------------------------------------------------------------------------------------
# async: aiohttp


def _aiohttp_timeout(aiohttp: Any, timeout: Timeout) -> Any:
    return aiohttp.ClientTimeout(
        total=timeout.total, sock_connect=timeout.connect, sock_read=timeout.read
    )


def _aiohttp_timeout_phase(aiohttp: Any, exc: BaseException, timeout: Timeout) -> str:
    connect_error = getattr(aiohttp, "ConnectionTimeoutError", None)
    if connect_error is not None and isinstance(exc, connect_error):
        return "connect"
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return "connect" if "onnection timeout" in str(exc) else "read"
    return "total" if timeout.total else "read"


async def _aiohttp_send(config: Config, request: Request) -> RawResponse:
    import asyncio

    import aiohttp

    timeout = request.timeout or config.timeout
    try:
        async with aiohttp.ClientSession(
            timeout=_aiohttp_timeout(aiohttp, timeout), trust_env=True
        ) as session:
            async with session.request(
                request.method, build_url(config, request),
                headers=build_headers(config, request), data=_body(request),
            ) as response:
                body = await response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
                return response.status, headers, body
    except asyncio.TimeoutError as exc:
        phase = _aiohttp_timeout_phase(aiohttp, exc, timeout)
        raise DeepgramTimeoutError(
            f"{request.method} {request.path} timed out ({phase})", phase=phase,
            http_library_error=exc,
        ) from exc
    except aiohttp.ClientError as exc:
        raise DeepgramConnectionError(
            f"Could not reach Deepgram for {request.method} {request.path}: {exc}",
            http_library_error=exc,
        ) from exc


class AsyncSender:
    """Sends a ``Request`` with aiohttp; calling it returns a coroutine."""

    def __init__(self, config: Config) -> None:
        self.config = config

    async def __call__(self, request: Request) -> Any:
        started = time.monotonic()
        raw = await _aiohttp_send(self.config, request)
        return _finish(self.config, request, raw, started)

    async def aclose(self) -> None:
        """Release pooled connections (none are kept yet)."""


# ---------------------------------------------------------------------------------------------
# sync: requests


def _requests_send(config: Config, request: Request) -> RawResponse:
    import requests

    timeout = request.timeout or config.timeout
    try:
        with requests.Session() as session:
            response = session.request(
                request.method, build_url(config, request),
                headers=build_headers(config, request), data=_body(request),
                timeout=(timeout.connect, timeout.read),
            )
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status_code, headers, response.content
    except requests.exceptions.ConnectTimeout as exc:
        raise DeepgramTimeoutError(
            f"{request.method} {request.path} timed out (connect)", phase="connect",
            http_library_error=exc,
        ) from exc
    except requests.exceptions.Timeout as exc:
        raise DeepgramTimeoutError(
            f"{request.method} {request.path} timed out (read)", phase="read",
            http_library_error=exc,
        ) from exc
    except requests.exceptions.RequestException as exc:
        raise DeepgramConnectionError(
            f"Could not reach Deepgram for {request.method} {request.path}: {exc}",
            http_library_error=exc,
        ) from exc


class SyncSender:
    """Sends a ``Request`` with requests and returns the result."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, request: Request) -> Any:
        started = time.monotonic()
        raw = _requests_send(self.config, request)
        return _finish(self.config, request, raw, started)

    def close(self) -> None:
        """Release pooled connections (none are kept yet)."""
