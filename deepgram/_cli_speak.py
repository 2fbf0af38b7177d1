"""``deepgram speak``: text to speech over REST, written to a file (whole or not at all) or stdout."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import Any, Dict

from ._cli_common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    HelpFormatter,
    human_bytes,
    make_client,
    option_pair,
    options_dict,
    print_json,
)

__all__ = ["add_parser"]

# The encoding a file's extension implies, when no --option encoding= says otherwise.
_ENCODINGS: Dict[str, Dict[str, str]] = {
    ".wav": {"encoding": "linear16", "container": "wav"},
    ".flac": {"encoding": "flac"},
    ".opus": {"encoding": "opus"},
    ".ogg": {"encoding": "opus"},
    ".aac": {"encoding": "aac"},
}


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``speak`` on the subcommand set."""
    parser = commands.add_parser(
        "speak", parents=[common], help="turn text into speech (an audio file)",
        formatter_class=HelpFormatter,
        description="Turn text into speech with Deepgram's text to speech, and write the audio to a file "
                    "(whole or not at all), or to standard output with --out -. Prints the file's name, "
                    "its size and the request id (on standard error when the audio goes to standard output).",
        epilog="examples:\n"
               "  deepgram speak \"Hello from Deepgram\" --out hello.mp3 --model aura-2-thalia-en\n"
               "  echo 'Read from standard input' | deepgram speak - --out speech.wav\n"
               "  deepgram speak 'Straight to the player' --out - | ffplay -nodisp -autoexit -")
    parser.add_argument("text", metavar="TEXT|-", help="the text to speak, or - to read it from standard input")
    parser.add_argument("--out", default="speech.mp3", metavar="FILE",
                        help="where to write the audio (default: speech.mp3; - for standard output). A .wav, .flac, "
                             ".opus, .ogg or .aac name asks for that encoding, unless --option encoding= is given")
    parser.add_argument("--model", metavar="M", help="the voice, such as aura-2-thalia-en")
    parser.add_argument("--option", action="append", type=option_pair, metavar="NAME=VALUE",
                        help="a query option, repeatable: encoding=linear16, sample_rate=24000, bit_rate=48000")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Synthesize the text and write the audio; the exit status."""
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise CliError("there is no text to speak" + (" on standard input" if args.text == "-" else ""),
                       EXIT_USAGE)
    options = options_dict(args.option)
    if args.model:
        options["model"] = args.model
    if "encoding" not in options and args.out != "-":
        options.update(_ENCODINGS.get(os.path.splitext(args.out)[1].lower(), {}))
    dg = make_client(args)
    with dg:
        if args.out == "-":
            result = dg.sync.speak.generate({"text": text}, options, to=sys.stdout.buffer)
            sys.stdout.flush()
        else:
            result = _to_file(dg, text, options, args.out)
    written = result.get("bytes_written")
    summary = {"file": args.out, "bytes": written, "content_type": result.get("content_type"),
               "request_id": result.get("request_id")}
    if args.json and args.out != "-":
        print_json(summary)
    else:
        name = "standard output" if args.out == "-" else args.out
        print(f"{name}: {human_bytes(written)} of {summary['content_type'] or 'audio'}, "
              f"request id {summary['request_id']}", file=sys.stderr if args.out == "-" else sys.stdout, flush=True)
    return EXIT_OK


def _to_file(dg: Any, text: str, options: Dict[str, Any], path: str) -> Any:
    """Write the audio to a temporary file beside ``path``, renamed into place once whole."""
    folder = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            result = dg.sync.speak.generate({"text": text}, options, to=stream)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return result
