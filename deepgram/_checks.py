"""PURE. Checks of values that travel in headers and URLs, so bad input fails before any I/O.

Each check raises ``DeepgramSetupError`` naming the value (a credential only by the position of
its bad character, never by its text) and what to do instead.
"""

from typing import Any

from .errors import DeepgramSetupError

# Spelled out rather than taken from the string module, which costs ~1 ms of import time.
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# RFC 9110 token characters: what a header name may hold.
_TOKEN = frozenset(_ALNUM + "!#$%&'*+-.^_`|~")
_HEX = frozenset("0123456789abcdefABCDEF")
KEY_HEX_DIGITS = 40  # Deepgram API keys are 40 hex digits


def _describe(char: str) -> str:
    names = {"\r": "a carriage return (CR)", "\n": "a line feed (LF)", "\t": "a tab", " ": "a space",
             "\x00": "a NUL byte"}
    if char in names:
        return names[char]
    if ord(char) < 32 or ord(char) == 127:
        return f"a control character (U+{ord(char):04X})"
    return f"{char!r} (U+{ord(char):04X})"


def check_credential(value: str, where: str, api_key: bool) -> str:
    """``value`` stripped, if it can be sent as a credential; hex-only API keys must have 40 digits."""
    key = value.strip()
    if not key:
        raise DeepgramSetupError(f"The API key is empty ({where}). Create a key in the Deepgram console and pass it.")
    for position, char in enumerate(key, 1):
        if not "!" <= char <= "~":  # printable ASCII without spaces: what a header carries intact
            raise DeepgramSetupError(
                f"The credential in {where} contains {_describe(char)} at character {position} of "
                f"{len(key)}; a Deepgram key is plain ASCII without spaces. Copy it again from the console."
            )
    if api_key and len(key) != KEY_HEX_DIGITS and all(c in _HEX for c in key):
        hint = "looks truncated" if len(key) < KEY_HEX_DIGITS else "looks too long"
        raise DeepgramSetupError(
            f"The API key in {where} {hint}: {len(key)} of {KEY_HEX_DIGITS} hex digits. "
            "Copy the whole key again from the Deepgram console."
        )
    return key


def check_header(name: Any, value: Any, where: str) -> None:
    """Raise unless ``name: value`` can be sent as one HTTP header line."""
    if not isinstance(name, str) or not name or any(c not in _TOKEN for c in name):
        raise DeepgramSetupError(
            f"{where}: the header name {name!r} is not valid; use a string of letters, digits and "
            "'-' such as 'X-Request-Tag'."
        )
    if not isinstance(value, str):
        raise DeepgramSetupError(
            f"{where}: the value of header {name!r} must be a string, not {type(value).__name__} "
            f"({value!r}); convert it, e.g. str(value)."
        )
    check_header_value(value, f"{where}: the value of header {name!r}")


def check_header_value(value: str, what: str) -> None:
    """Raise unless ``value`` can travel in a header (no CR, LF or other control characters)."""
    for position, char in enumerate(value, 1):
        if (ord(char) < 32 and char != "\t") or ord(char) == 127:
            raise DeepgramSetupError(
                f"{what} ({value!r}) contains {_describe(char)} at character {position}; header "
                "values must be one line without control characters."
            )
        if ord(char) > 255:
            raise DeepgramSetupError(
                f"{what} ({value!r}) contains {_describe(char)}, which cannot be sent in a header; "
                "use ASCII."
            )


def check_host(netloc: str, url: str, what: str) -> None:
    """Raise unless the host and port of ``url`` (its ``netloc``) are well formed."""
    if "@" in netloc:  # first: the other messages show the URL, which would show a password
        raise DeepgramSetupError(
            f"{what} must not carry a user name or password (scheme://USER:PASSWORD@host); "
            "the credential goes in api_key."
        )
    if any(c.isspace() or ord(c) < 32 for c in netloc):
        raise DeepgramSetupError(f"{what} has a space or control character in its host: {url!r}.")
    if netloc.startswith("["):  # an IPv6 address: [::1]:8080
        host, _, rest = netloc[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise DeepgramSetupError(f"{what} has an invalid host {netloc!r}: {url!r}.")
        port, has_port = rest[1:], bool(rest)
    else:
        host, colon, port = netloc.partition(":")
        has_port = bool(colon)
        if not all(c.isalnum() or c in "-._" for c in host):
            raise DeepgramSetupError(f"{what} has an invalid host name {host!r}: {url!r}.")
    if not host:
        raise DeepgramSetupError(f"{what} has no host name: {url!r}.")
    if has_port and not (port.isdigit() and 0 < int(port) < 65536):
        raise DeepgramSetupError(
            f"{what} has an invalid port {port!r} (a number from 1 to 65535 is needed): {url!r}."
        )


def encodable(text: str, what: str) -> str:
    """``text``, if it can be encoded as UTF-8 (a lone surrogate cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DeepgramSetupError(
            f"{what} cannot be sent: {text!r} holds {_describe(text[exc.start])}, a lone surrogate "
            "that UTF-8 cannot encode (often from a file name or bytes decoded with "
            "errors='surrogateescape'); clean the text first."
        ) from None
    return text
