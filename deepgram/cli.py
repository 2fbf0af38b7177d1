"""The ``deepgram`` command (also ``python -m deepgram``): transcribe, stream, speak, read the account.

    deepgram transcribe calls/ --out transcripts --format json,srt --concurrency 8
    deepgram stream call.wav --interim
    deepgram speak "Hello" --out hello.mp3
    deepgram projects | keys | members | usage | balances [PROJECT_ID] [--json]
    deepgram emulator            deepgram doctor

The global options (``--api-key``, ``--api-url``, ``--json``, ``-v``) go before or after the
command. Exit status: 0 on success, 1 when something failed, 2 for a usage or setup error (bad
arguments, no key), 128 + the signal's number when stopped by SIGINT (130) or SIGTERM (143).

Why only the standard library: the command is built on ``argparse``, and the progress line of
``transcribe`` is written here (``_cli_progress.py``, about fifty lines) rather than taken from
tqdm or click. A dependency of the command would be a dependency of every program that imports
the SDK, for a feature most of them never use; and the line we need (counts, bytes, elapsed
time, an estimate) is small enough to own and test.

``import deepgram`` never imports this module or the ``_cli_*`` modules: they cost import time
that programs using the SDK should not pay.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
import warnings
from typing import Any, List, Optional, Sequence, TextIO, Type, Union

from . import _cli_doctor, _cli_emulator, _cli_manage, _cli_speak, _cli_stream, _cli_transcribe
from ._cli_common import EXIT_FAILED, EXIT_USAGE, CliError, HelpFormatter
from ._version import __version__

__all__ = ["build_parser", "main"]

PROG = "deepgram"


def _global_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The options every command takes; on a subcommand their defaults are suppressed, so that an
    option given before the command is not reset by the subcommand's own default."""

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument("--api-key", metavar="KEY", default=default(None),
                       help="the Deepgram API key (default: DEEPGRAM_API_KEY, or an access token in "
                            "DEEPGRAM_ACCESS_TOKEN)")
    group.add_argument("--api-url", metavar="URL", default=default(None),
                       help="the API's base URL, such as http://127.0.0.1:8080/v1 for `deepgram emulator` "
                            "(default: DEEPGRAM_API_URL, else https://api.deepgram.com/v1)")
    group.add_argument("--json", action="store_true", default=default(False),
                       help="print data as JSON instead of text")
    group.add_argument("-v", "--verbose", action="store_true", default=default(False),
                       help="log the SDK's requests on standard error (DEBUG), and show tracebacks of errors")


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=HelpFormatter,
        description="Deepgram's speech API from the shell: transcribe files, stream audio live, turn text into "
                    "speech, read your account, run a local emulator, and check the setup.",
        epilog="examples:\n"
               "  deepgram transcribe recordings/ --out transcripts --format json,srt\n"
               "  deepgram stream call.wav --interim\n"
               "  deepgram speak \"Hello\" --out hello.mp3\n"
               "  deepgram projects --json\n"
               "  deepgram emulator              # then: export DEEPGRAM_API_URL=... DEEPGRAM_API_KEY=...\n"
               "  deepgram doctor\n\n"
               "Run `deepgram COMMAND --help` for a command's options. Exit status: 0 success, 1 failure, "
               "2 usage or setup error (no key, bad arguments), 130/143 stopped by SIGINT/SIGTERM.")
    parser.add_argument("--version", action="version", version=f"%(prog)s (deepgram-v0) {__version__}")
    _global_options(parser, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    _cli_transcribe.add_parser(commands, common)
    _cli_stream.add_parser(commands, common)
    _cli_speak.add_parser(commands, common)
    _cli_manage.add_parsers(commands, common)
    _cli_emulator.add_parser(commands, common)
    _cli_doctor.add_parser(commands, common)
    return parser


def _show_warning(message: Union[Warning, str], category: Type[Warning], filename: str, lineno: int,
                  file: Optional[TextIO] = None, line: Optional[str] = None) -> None:
    """Warnings as one line of the command's own, not as a source location in the SDK."""
    print(f"{PROG}: warning: {' '.join(str(message).split())}", file=sys.stderr, flush=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or argparse's usage message (status 2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    prog = f"{PROG} {args.command}"
    handlers: List[logging.Handler] = []
    logger = logging.getLogger("deepgram")
    saved = (logger.level, logger.propagate)
    if args.verbose:
        from ._logging import from_environment

        handler = from_environment("debug")
        if handler is not None:
            handlers.append(handler)
    from .errors import DeepgramSetupError

    with warnings.catch_warnings():
        warnings.showwarning = _show_warning  # the filters stay as they are; only the display changes
        try:
            return int(args.run(args))
        except CliError as exc:
            print(f"{prog}: error: {exc}", file=sys.stderr)
            return exc.status
        except DeepgramSetupError as exc:
            print(f"{prog}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except BrokenPipeError:  # the reader went away (`deepgram projects | head -1`): nothing to say
            _silence_stdout()
            return EXIT_FAILED
        except KeyboardInterrupt:  # where no handler of ours took the signal (Windows)
            print(f"{prog}: interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # (every other failure: one line, or the traceback with -v)
            if args.verbose:
                traceback.print_exc()
            text = " ".join(str(exc).split()) or type(exc).__name__
            print(f"{prog}: error: {text}" + ("" if args.verbose else "  (-v shows the details)"), file=sys.stderr)
            return EXIT_FAILED
        finally:
            for handler in handlers:
                logger.removeHandler(handler)
            logger.setLevel(saved[0])
            logger.propagate = saved[1]
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):  # a closed pipe or stream: the output has nowhere to go
                    pass


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush cannot fail
    again on the closed pipe (the recipe of Python's signal documentation)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (a test's capture)
        pass
