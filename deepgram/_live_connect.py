"""Opening the live websocket: SDK settings, the handshake, bounded retries, error mapping."""

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Dict, Mapping, NamedTuple, Optional, Tuple

from . import _http
from ._config import Config, parse_options
from ._redact import scrub, secrets_of
from ._retry import Attempts, RetryBudget
from ._wire import raise_for_status, websocket_headers
from .errors import DeepgramApiError, DeepgramConnectionError, DeepgramSetupError, DeepgramTimeoutError

log = logging.getLogger("deepgram")

if TYPE_CHECKING:
    _LoggerAdapter = logging.LoggerAdapter[logging.Logger]
else:
    _LoggerAdapter = logging.LoggerAdapter  # generic only to checkers before Python 3.11


class LiveSettings(NamedTuple):
    """SDK settings of a live stream, passed as ``live(..., settings=LiveSettings(...))``.

    They travel as their own object, never as query parameters, so no setting can ever collide
    with one of the API's parameter names.
    """

    max_buffer_bytes: int = 64 * 1024 * 1024  #: outgoing bytes not yet on the wire
    keepalive_interval: Optional[float] = 5.0  #: send KeepAlive after this long without audio
    max_received: Optional[int] = 1000  #: keep only the last N messages in ``received`` (None: all, as 2.x)
    finish_timeout: float = 30.0  #: default bound of ``finish()``
    open_timeout: float = 10.0  #: bound of each websocket handshake
    connect_retries: int = 2  #: extra handshake attempts after a connection failure, 408, 429 or 5xx
    retry_delay: float = 0.5  #: first backoff between attempts (doubles each time, with jitter)
    ping_interval: Optional[float] = 20.0
    ping_timeout: Optional[float] = 20.0
    #: /v1/listen: connection attempts allowed after each abnormal close (0: the stream ends there)
    reconnect: int = 0
    #: the most audio kept for replay after a reconnect, in seconds of the stream's encoding
    max_replay_seconds: float = 30.0


def _handshake_error(exc: BaseException) -> DeepgramApiError:
    response: Any = getattr(exc, "response", None)  # websockets' Response, when it got one
    status = getattr(response, "status_code", None)
    if status is None:
        return DeepgramConnectionError(f"Websocket handshake failed: {exc}", http_library_error=exc)
    headers = {k.lower(): v for k, v in response.headers.raw_items()}
    try:
        raise_for_status(status, headers, bytes(response.body or b""), exc)
    except DeepgramApiError as error:
        if headers.get("dg-error") and error.error.startswith("HTTP "):
            error.error = headers["dg-error"]
        return error
    return DeepgramApiError(f"Unexpected handshake status {status}", status=status,
                            headers=headers, http_library_error=exc)


async def connect_websocket(config: Config, url: str, settings: LiveSettings,
                            headers: Optional[Mapping[str, str]] = None,
                            budget: Optional[RetryBudget] = None) -> Any:
    """Open the websocket. Connection failures, timeouts and 408/429/5xx handshakes are retried
    by the shared policy (backoff with jitter, the client's retry budget, ``Retry-After``); any
    other 4xx is raised at once."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidHandshake, InvalidStatus

    # websockets logs each handshake header at DEBUG, the Authorization line included.
    options: Dict[str, Any] = {"logger": RedactingLogger(logging.getLogger("websockets.client"), secrets_of(config))}
    if url.startswith("wss:") and config.verify not in (None, True):
        options["ssl"] = _websocket_ssl(config.verify)
    options.update(_proxy_option(config.proxy))
    attempts = Attempts(max(settings.connect_retries, 0), budget if budget is not None else RetryBudget(),
                        replayable=True, base_delay=settings.retry_delay)
    while True:
        answer: Optional[DeepgramApiError] = None
        try:
            return await connect(
                url, additional_headers=websocket_headers(config, headers), user_agent_header=config.user_agent,
                open_timeout=settings.open_timeout, ping_interval=settings.ping_interval,
                ping_timeout=settings.ping_timeout, compression=None, max_size=None, **options,
            )
        except InvalidStatus as exc:
            failure: BaseException = exc
            answer = error = _handshake_error(exc)
        except asyncio.TimeoutError as exc:
            failure, error = exc, DeepgramTimeoutError("Websocket handshake timed out", phase="connect",
                                                       http_library_error=exc)
        except (OSError, InvalidHandshake, EOFError) as exc:
            failure, error = exc, _handshake_error(exc)
        attempts.attempt += 1
        if answer is not None:
            delay = attempts.delay(answer.status, answer.headers or {})
        else:
            delay = attempts.delay(error=error)
        if delay is None:
            raise error from failure
        log.warning("websocket: connection attempt %d failed (%s); retrying in %.2fs", attempts.attempt,
                    error.error if answer is not None else type(failure).__name__, delay)
        await _http.wait_to_retry(delay)


def _proxy_option(proxy: Optional[str]) -> Dict[str, Any]:
    """websockets' ``proxy`` argument for the client's proxy (from websockets 15; before, none)."""
    if proxy is None:
        return {}  # websockets 15+ reads the proxy variables of the environment, as the REST calls do
    from websockets.version import version

    if int(version.split(".")[0]) < 15:
        raise DeepgramSetupError(
            f"The proxy option needs websockets 15 or newer for live streams (this is {version}): "
            "pip install -U 'websockets>=15'.")
    return {"proxy": proxy}


class RedactingLogger(_LoggerAdapter):
    """A logger that masks the client's secrets in every message and argument it passes on."""

    def __init__(self, logger: logging.Logger, secrets: Tuple[str, ...]) -> None:
        super().__init__(logger, {})
        self.secrets = secrets

    def log(self, level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            msg = scrub(str(msg), self.secrets)
            args = tuple(scrub(str(a), self.secrets) if self._shows(a) else a for a in args)
            self.logger.log(level, msg, *args, **kwargs)

    def _shows(self, value: Any) -> bool:
        text = str(value)
        return any(secret in text for secret in self.secrets)


def _websocket_ssl(verify: Any) -> Any:
    """The client's ``verify`` option as an SSLContext for the websocket."""
    import ssl

    if hasattr(verify, "wrap_socket"):
        return verify
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=str(verify))


async def _socket_connect(path: str, options: Any, headers: Optional[Mapping[str, str]] = None) -> Any:
    """Open a websocket at ``api_url`` + ``path`` (the 2.x helper; ``path`` may hold a query)."""
    _, config = parse_options(options)
    return await connect_websocket(config, config.ws_url + path, LiveSettings(), headers)
