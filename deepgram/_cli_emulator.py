"""``deepgram emulator``: the local Deepgram emulator in the foreground, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from ._cli_common import EXIT_OK, HelpFormatter

__all__ = ["add_parser"]


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``emulator`` on the subcommand set."""
    parser = commands.add_parser(
        "emulator", parents=[common], help="run the local Deepgram emulator (for trying things out and tests)",
        formatter_class=HelpFormatter,
        description="Serve the bundled local Deepgram emulator (the REST API and the websockets; deterministic "
                    "made-up transcripts) until Ctrl-C, and print how to point the command or a program at it. "
                    "Clients must send its key: the default one, or the one --api-key gives.",
        epilog="example:\n"
               "  deepgram emulator --port 8080\n"
               "  # in another shell:\n"
               "  export DEEPGRAM_API_URL=http://127.0.0.1:8080/v1 DEEPGRAM_API_KEY=emulator-key-0123456789abcdef\n"
               "  deepgram transcribe call.wav")
    parser.add_argument("--port", type=int, default=8080, metavar="P", help="the port (default 8080; 0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--accept-any-key", action="store_true", help="accept every key, not only the emulator's")
    parser.add_argument("--duplicate-callbacks", action="store_true",
                        help="post every callback twice, as Deepgram's retries may (test that a receiver acts once)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; the exit status (0 after Ctrl-C or SIGTERM)."""
    from .testing import DEFAULT_KEY, FakeDeepgram

    # Not DEEPGRAM_API_KEY: a real key from the environment is no business of a local emulator's.
    key = args.api_key or DEFAULT_KEY
    stop = threading.Event()
    in_main = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda signum, frame: stop.set())
    try:
        with FakeDeepgram(key, args.host, args.port, args.accept_any_key) as fake:
            if args.duplicate_callbacks:
                fake.duplicate_callbacks()
            print(f"Deepgram emulator on {fake.url}  (api_key: {fake.api_key})\n"
                  f"Point the deepgram command or a program at it, in another shell:\n"
                  f"  export DEEPGRAM_API_URL={fake.url} DEEPGRAM_API_KEY={fake.api_key}\n"
                  f"  (Windows: set DEEPGRAM_API_URL={fake.url} & set DEEPGRAM_API_KEY={fake.api_key})\n"
                  f"or pass --api-url {fake.url} --api-key {fake.api_key}; in Python: "
                  f'Deepgram({{"api_key": "{fake.api_key}", "api_url": "{fake.url}"}}).\n'
                  f"Press Ctrl-C to stop.", flush=True)
            while not stop.wait(0.5):  # a timed wait: Windows delivers Ctrl-C only between waits
                pass
            print("emulator stopped", flush=True)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return EXIT_OK
