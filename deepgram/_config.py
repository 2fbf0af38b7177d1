"""PURE. Client options (a key string, a dict or the environment) into a frozen ``Config``."""

import os
import sys
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple

from ._checks import check_credential, check_host
from ._constants import DEFAULT_ENDPOINT
from ._settings import (
    Timeout,
    callable_or_none,
    flag,
    headers_from,
    query_from,
    timeout_from,
    transport_options,
    warn_unknown,
)
from ._version import __version__
from ._warn import warn
from .errors import DeepgramSetupError

ENV_API_KEY = "DEEPGRAM_API_KEY"
ENV_TOKENS = ("DEEPGRAM_ACCESS_TOKEN", "DEEPGRAM_TOKEN")
ENV_URLS = ("DEEPGRAM_API_URL", "DEEPGRAM_HOST")
AGENT_ENDPOINT = "https://agent.deepgram.com/v1"
_USER_AGENT = "deepgram/{} python/{}.{}.{}".format(__version__, *sys.version_info[:3])


class _Missing:
    def __repr__(self) -> str:
        return "<no options>"


MISSING: Any = _Missing()


class Config(NamedTuple):
    """Everything a transport needs to reach Deepgram, validated once."""

    api_key: str
    api_url: str = DEFAULT_ENDPOINT
    auth_method: str = "Token"
    suppress_warnings: bool = False
    raise_warnings_as_errors: bool = False
    timeout: Timeout = Timeout()
    headers: Tuple[Tuple[str, str], ...] = ()
    max_retries: int = 2
    proxy: Optional[str] = None
    verify: Any = None  # None/True: verify with the default CAs; False; a CA bundle path; an SSLContext
    session: Any = None  # an aiohttp.ClientSession to use (never closed by the SDK)
    sync_session: Any = None  # a requests.Session to use (never closed by the SDK)
    on_progress: Any = None  # upload progress callback (bytes_sent, total_or_None)
    agent_url: str = AGENT_ENDPOINT  # the host of the agent endpoints (think models)
    query: Tuple[Tuple[str, str], ...] = ()  # extra query parameters for every call
    on_response: Any = None  # callback(status, headers) after every answer
    retry_unanswered: bool = False  # resend a POST/PATCH that was all sent but got no answer

    def __repr__(self) -> str:
        # The key never appears in a repr, a log line or an error message.
        return f"Config(api_url={self.api_url!r}, auth_method={self.auth_method!r}, api_key=***)"

    @property
    def authorization(self) -> str:
        return f"{self.auth_method} {self.api_key}"

    @property
    def user_agent(self) -> str:
        return _USER_AGENT

    @property
    def ws_url(self) -> str:
        """The websocket base URL: http becomes ws and https becomes wss."""
        return "ws" + self.api_url[4:] if self.api_url.startswith("http") else self.api_url


def _check_key(key: Any, where: str, api_key: bool = True) -> str:
    """The credential, stripped; ``api_key``: it is an API key (not a token), so hex-only keys
    must have all 40 digits (2.12 rejected a key that lost a character in copy-paste)."""
    if key is None:
        raise DeepgramSetupError(
            f"No API key: {where} is None. Pass your Deepgram API key as a string, "
            f"or set {ENV_API_KEY} and call Deepgram() with no argument."
        )
    if not isinstance(key, str):
        raise DeepgramSetupError(
            f"The API key must be a string, not {type(key).__name__} ({where})."
        )
    return check_credential(key, where, api_key)


def normalize_api_url(url: Any) -> str:
    """Return the ``/v1`` base URL for ``url``, fixing (with a warning) the usual slips."""
    if url is None or (isinstance(url, str) and not url.strip()):
        return DEFAULT_ENDPOINT
    if not isinstance(url, str):
        raise DeepgramSetupError(f"api_url must be a string, not {type(url).__name__}.")
    from urllib.parse import urlsplit, urlunsplit  # lazily: ~5 ms of import time

    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. an unbalanced IPv6 bracket
        raise DeepgramSetupError(f"api_url is not a valid URL ({exc}): {url!r}.") from None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in ("http", "https") or not parts.netloc:
        raise DeepgramSetupError(
            f"api_url must look like 'https://api.deepgram.com/v1' or "
            f"'http://localhost:8080/v1', got {url!r}."
        )
    check_host(parts.netloc, url, "api_url")
    if parts.query or parts.fragment:
        raise DeepgramSetupError(f"api_url must not carry a query or fragment: {url!r}.")
    path = parts.path.rstrip("/")
    if path.endswith("/listen"):
        path = path[: -len("/listen")]
        warn(f"api_url should be the base URL without /listen; using {path or '/v1'!r} as the path.")
    elif parts.path.endswith("/"):
        warn("api_url should not end with '/'; the trailing slash was removed.")
    if not path:
        path = "/v1"
        warn("api_url has no path; Deepgram's API lives under /v1, so '/v1' was added.")
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def _options_dict(options: Any) -> Dict[str, Any]:
    """The argument of ``Deepgram()`` as its options dict (the caller's own dict, not a copy)."""
    if options is MISSING:
        return {}
    if options is None:
        _check_key(None, "the argument of Deepgram()")  # raises: there is no key
    if isinstance(options, str):
        return {"api_key": options}
    if not isinstance(options, dict):
        raise DeepgramSetupError(
            "Deepgram() takes an API key string or a dict such as "
            "{'api_key': KEY, 'api_url': 'https://api.deepgram.com/v1'}, "
            f"not {type(options).__name__}."
        )
    return options


def parse_options(options: Any = MISSING, environ: Optional[Mapping[str, str]] = None) -> Tuple[Dict[str, Any], Config]:
    """Validate the legacy ``Deepgram(options)`` argument into (options dict, Config)."""
    env = os.environ if environ is None else environ
    options = _options_dict(options)
    warn_unknown(options)
    key, auth_method = _credential(options, env)
    if not isinstance(auth_method, str) or not auth_method.strip() or \
            any(not c.isalnum() for c in auth_method.strip()):
        raise DeepgramSetupError(f"auth_method must be 'Token' or 'Bearer', got {auth_method!r}.")
    api_url = _api_url(options, env)
    config = Config(
        api_key=key,
        api_url=api_url,
        auth_method=auth_method.strip(),
        suppress_warnings=flag(options, "suppress_warnings"),
        raise_warnings_as_errors=flag(options, "raise_warnings_as_errors"),
        retry_unanswered=flag(options, "retry_unanswered"),
        timeout=timeout_from(options.get("timeout")),
        headers=headers_from(options.get("headers")),
        agent_url=AGENT_ENDPOINT if api_url == DEFAULT_ENDPOINT else api_url,
        query=query_from(options.get("query")),
        on_response=callable_or_none(options.get("on_response"), "on_response", "(status, headers)"),
        **transport_options(options),
    )
    return options, config


def _credential(options: Mapping[str, Any], env: Mapping[str, str]) -> Tuple[str, str]:
    """The credential and its scheme: explicit options first, then a token, then a key from the
    environment."""
    if options.get("access_token") is not None or ("access_token" in options and "api_key" not in options):
        return _check_key(options["access_token"], "options['access_token']", api_key=False), "Bearer"
    scheme = options.get("auth_method") or "Token"
    is_key = not isinstance(scheme, str) or scheme.strip().lower() == "token"
    if "api_key" in options:
        return _check_key(options["api_key"], "options['api_key']", is_key), scheme
    for name in ENV_TOKENS:
        if env.get(name):
            return _check_key(env[name], name, api_key=False), "Bearer"
    if env.get(ENV_API_KEY):
        return _check_key(env[ENV_API_KEY], ENV_API_KEY, is_key), scheme
    raise DeepgramSetupError(
        f"No API key: pass Deepgram('YOUR_KEY') or {{'api_key': KEY}} (or {{'access_token': JWT}}), "
        f"or set {ENV_API_KEY} (or DEEPGRAM_ACCESS_TOKEN)."
    )


def _api_url(options: Mapping[str, Any], env: Mapping[str, str]) -> str:
    if options.get("api_url") not in (None, ""):
        return normalize_api_url(options["api_url"])
    for name in ENV_URLS:
        value = (env.get(name) or "").strip()
        if value:
            if "://" not in value:  # DEEPGRAM_HOST may name a host alone
                value = ("http://" if value.startswith(("localhost", "127.")) else "https://") + value
            return normalize_api_url(value)
    return DEFAULT_ENDPOINT


def with_options(config: Config, overrides: Mapping[str, Any]) -> Config:
    """``config`` with some settings replaced (``Deepgram.with_options``)."""
    allowed = {"timeout", "headers", "query", "max_retries", "proxy", "verify", "on_progress",
               "on_response", "suppress_warnings", "raise_warnings_as_errors", "retry_unanswered"}
    unknown = set(overrides) - allowed
    if unknown:
        raise DeepgramSetupError(f"with_options() does not take {sorted(unknown)}; it takes {sorted(allowed)}.")
    changes: Dict[str, Any] = {}
    if "timeout" in overrides:
        changes["timeout"] = timeout_from(overrides["timeout"])
    if "headers" in overrides:
        changes["headers"] = config.headers + headers_from(overrides["headers"])
    if "query" in overrides:
        changes["query"] = config.query + query_from(overrides["query"])
    if "on_response" in overrides:
        changes["on_response"] = callable_or_none(overrides["on_response"], "on_response", "(status, headers)")
    for name in ("suppress_warnings", "raise_warnings_as_errors", "retry_unanswered"):
        if name in overrides:
            changes[name] = flag(overrides, name)
    transport = transport_options({k: v for k, v in overrides.items()
                                   if k in ("max_retries", "proxy", "verify", "on_progress")})
    changes.update({k: transport[k] for k in overrides if k in transport})
    return config._replace(**changes)
