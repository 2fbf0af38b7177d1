"""Pieces the ``deepgram`` command's subcommands share: errors, the client, options, output."""

from __future__ import annotations

import argparse
import json
import os
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from ._config import ENV_API_KEY, ENV_TOKENS, ENV_URLS

if TYPE_CHECKING:
    from ._client import Deepgram

__all__ = [
    "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "CliError", "Found", "HelpFormatter", "find_api_url", "find_credential",
    "human_bytes", "make_client", "option_pair", "options_dict", "positive_int", "print_json", "table",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

NO_KEY = (f"No Deepgram API key. Pass --api-key KEY, or set it once for the shell: export {ENV_API_KEY}=KEY "
          f"(Windows: set {ENV_API_KEY}=KEY). To try the command without an account, run `deepgram emulator` "
          "in another terminal and point --api-url (or DEEPGRAM_API_URL) at the URL it prints, with its key.")


class CliError(Exception):
    """A failure reported in one line, without a traceback, with the exit status to end with."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


class Found(NamedTuple):
    """A setting and where it came from (a flag, an environment variable, or the default)."""

    value: Optional[str]
    source: str


def find_credential(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = None) -> Found:
    """The credential ``Deepgram()`` would use, in its order: the flag, a token, then the key."""
    env = os.environ if environ is None else environ
    if getattr(args, "api_key", None):
        return Found(args.api_key, "the --api-key option")
    for name in (*ENV_TOKENS, ENV_API_KEY):
        if env.get(name):
            return Found(env[name], f"the {name} environment variable")
    return Found(None, "nowhere")


def find_api_url(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = None) -> Found:
    """The API URL the client will use, and where it came from (as ``Deepgram()`` reads it)."""
    env = os.environ if environ is None else environ
    if getattr(args, "api_url", None):
        return Found(args.api_url, "the --api-url option")
    for name in ENV_URLS:
        if (env.get(name) or "").strip():
            return Found(env[name].strip(), f"the {name} environment variable")
    return Found(None, "the default")


def make_client(args: argparse.Namespace) -> Deepgram:
    """A client from the global options, else the environment; a missing key is a usage error."""
    from ._client import Deepgram

    if find_credential(args).value is None:
        raise CliError(NO_KEY, EXIT_USAGE)
    options: Dict[str, Any] = {}
    if args.api_key:
        options["api_key"] = args.api_key
    if args.api_url:
        options["api_url"] = args.api_url
    # A dict without a key or URL lets Deepgram() read the environment, exactly as in a program.
    return Deepgram(options)


def option_pair(text: str) -> Tuple[str, Union[str, bool]]:
    """An ``--option NAME=VALUE`` argument; ``true``/``false`` become booleans (argparse ``type``)."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, such as smart_format=true, got {text!r}")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return name.strip(), lowered == "true"
    return name.strip(), value


def options_dict(pairs: Optional[Sequence[Tuple[str, Any]]]) -> Dict[str, Any]:
    """The query options of repeated ``--option`` flags: a name given twice or more is a list."""
    options: Dict[str, Any] = {}
    for name, value in pairs or ():
        if name in options:
            kept = options[name]
            options[name] = [*kept, value] if isinstance(kept, list) else [kept, value]
        else:
            options[name] = value
    return options


def positive_int(text: str) -> int:
    """A whole number of 1 or more (argparse ``type``)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {number}")
    return number


def human_bytes(size: Optional[float]) -> str:
    """``1.2 MB``: sizes in decimal units, as file managers show them."""
    if size is None:
        return "? B"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"  # pragma: no cover  (the loop returns at GB)


def print_json(data: Any) -> None:
    """Data as indented JSON on standard output (what ``--json`` prints)."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())  # one line per row, whatever the value holds


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Tuple[str, str]]) -> str:
    """Rows as a plain text table: a header, then one line per row, each column left-aligned.

    ``columns`` are (key, heading) pairs; a missing key is an empty cell.
    """
    cells: List[List[str]] = [[heading for _, heading in columns]]
    cells.extend([_cell(row.get(key)) for key, _ in columns] for row in rows)
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(lines)


class HelpFormatter(argparse.HelpFormatter):
    """Wraps the prose of a description or epilog to the terminal, and keeps indented lines (the
    examples) exactly as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        lines: List[str] = []
        paragraph: List[str] = []

        def flush() -> None:
            if paragraph:
                lines.append(textwrap.fill(" ".join(paragraph), width, initial_indent=indent,
                                           subsequent_indent=indent))
                paragraph.clear()

        for line in text.splitlines():
            if line.startswith(" ") or not line.strip():
                flush()
                lines.append(indent + line if line.strip() else "")
            else:
                paragraph.append(line.strip())
        flush()
        return "\n".join(lines)
