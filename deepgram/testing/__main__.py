"""Run the emulator from a shell: ``python -m deepgram.testing --port 8080``."""

import argparse
import threading
from typing import Optional, Sequence

from . import DEFAULT_KEY, FakeDeepgram

__all__ = ["main"]


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Serve until interrupted, printing the URL and key to use."""
    parser = argparse.ArgumentParser(prog="python -m deepgram.testing",
                                     description="A local Deepgram emulator (the REST API and the websockets).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--api-key", default=DEFAULT_KEY, help="the key clients must send")
    parser.add_argument("--accept-any-key", action="store_true", help="accept every key")
    parser.add_argument("--duplicate-callbacks", action="store_true", help="post every callback twice")
    args = parser.parse_args(argv)
    with FakeDeepgram(args.api_key, args.host, args.port, args.accept_any_key) as fake:
        if args.duplicate_callbacks:
            fake.duplicate_callbacks()
        print(f"Deepgram emulator on {fake.url}  (api_key: {fake.api_key})", flush=True)
        print(f'Use: Deepgram({{"api_key": "{fake.api_key}", "api_url": "{fake.url}"}})', flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
