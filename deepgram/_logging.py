"""``DEEPGRAM_LOG=debug|info``: the SDK's logging on standard error, without a line of code.

The SDK logs to the ``deepgram`` logger and never puts a credential in a record; this handler
masks anything shaped like one all the same (an ``Authorization`` value, a 40-digit hex key, a
password in a URL), in case a record carries text the SDK did not write.
"""

import logging
import re
import sys
from typing import Optional

__all__ = ["LEVELS", "from_environment"]

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_SECRETS = re.compile(
    r"(?i)(?P<scheme>\b(?:token|bearer|basic)\s+)[^\s'\",]+"  # an Authorization value
    r"|\b[0-9a-f]{40}\b"  # an API key
    r"|(?P<user>://[^/\s:@]+:)[^/\s@]+@")  # a password in a URL


class RedactingFormatter(logging.Formatter):
    """A formatter that masks credential-shaped text in the finished line."""

    def format(self, record: logging.LogRecord) -> str:
        return _SECRETS.sub(_mask, super().format(record))


def _mask(match: "re.Match[str]") -> str:
    if match.group("scheme"):
        return match.group("scheme") + "***"
    if match.group("user"):
        return match.group("user") + "***@"
    return "***"


def from_environment(value: Optional[str]) -> Optional[logging.Handler]:
    """Turn the SDK's logging on for ``DEEPGRAM_LOG``'s value; the handler added, if any."""
    if not value:
        return None
    level = LEVELS.get(value.strip().lower())
    if level is None:
        from ._warn import warn

        warn(f"DEEPGRAM_LOG={value!r} is not a level: use debug, info or warning. Logging stays off.")
        return None
    logger = logging.getLogger("deepgram")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # printed once, here, even if the program configured the root logger too
    return handler
