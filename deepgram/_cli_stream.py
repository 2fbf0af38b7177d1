"""``deepgram stream``: a WAV or raw file at its own pace, standard input, or the microphone, live."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, AsyncIterable, AsyncIterator, Callable, Dict, List, Optional, Union

from ._cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    HelpFormatter,
    make_client,
    option_pair,
    options_dict,
)

if TYPE_CHECKING:
    from ._client import Deepgram
    from .audio_sources import FileSource, Microphone
    from .captions import Cue

__all__ = ["add_parser"]

RECONNECTS = 3  # connection attempts after each dropped connection, where the audio allows a replay
STDIN_CHUNK = 64 * 1024


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``stream`` on the subcommand set."""
    parser = commands.add_parser(
        "stream", parents=[common], help="stream a file, standard input or the microphone live",
        formatter_class=HelpFormatter,
        description="Stream audio to Deepgram's live transcription and print the results as they come: "
                    "a WAV file (or raw audio, described with --option encoding=... --option sample_rate=...) "
                    "sent at its own pace, standard input (-) sent as it arrives, or the microphone when no FILE "
                    "is given (the mic extra: pip install \"deepgram-v0[mic]\"). Ctrl-C ends the stream "
                    "gracefully: what was sent is still transcribed, then the command exits with status 130. "
                    "A dropped connection is resumed (up to 3 attempts) unless the audio is compressed.",
        epilog="examples:\n"
               "  deepgram stream call.wav --speed 4 --interim\n"
               "  deepgram stream call.raw --option encoding=linear16 --option sample_rate=8000\n"
               "  ffmpeg -i talk.mp3 -f wav - | deepgram stream - --captions srt > talk.srt\n"
               "  deepgram stream --option model=nova-3        # the microphone, until Ctrl-C")
    parser.add_argument("file", nargs="?", metavar="FILE|-",
                        help="a WAV file, raw audio (with --option encoding= and sample_rate=), or - for standard "
                             "input; none: the microphone")
    parser.add_argument("--speed", type=_speed, default=1.0, metavar="N",
                        help="how many times faster than real time to send a FILE (default 1; 0: as fast as possible)")
    parser.add_argument("--interim", action="store_true",
                        help="also print interim results (marked with a leading ~); sends interim_results=true")
    parser.add_argument("--captions", choices=("srt", "vtt"),
                        help="print SRT or WebVTT caption cues as they are made, instead of the transcript")
    parser.add_argument("--option", action="append", type=option_pair, metavar="NAME=VALUE",
                        help="a query option for the stream, repeatable: model=nova-3, smart_format=true, "
                             "encoding=mulaw, sample_rate=8000")
    parser.set_defaults(run=run)


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


# -- what is printed ------------------------------------------------------------------------------


class Printer:
    """Prints the stream's messages: final (and interim) transcripts, caption cues, or JSON lines."""

    def __init__(self, interim: bool, as_json: bool) -> None:
        self.interim, self.as_json = interim, as_json

    def message(self, message: Any) -> None:
        """A TRANSCRIPT_RECEIVED handler."""
        if self.as_json:
            print(json.dumps(message, ensure_ascii=False), flush=True)
            return
        if not isinstance(message, dict) or message.get("type") != "Results":
            return
        alternatives = (message.get("channel") or {}).get("alternatives") or [{}]
        text = (alternatives[0] or {}).get("transcript") or ""
        final = bool(message.get("is_final"))
        if text and (final or self.interim):
            print(f"{'' if final else '~'}[{float(message.get('start') or 0.0):6.2f}s] {text}", flush=True)

    @staticmethod
    def cue(cue: Cue) -> None:
        """An ``on_cue`` callback: the cue's block, then the blank line that separates blocks."""
        print(cue.render() + "\n", flush=True)


# -- the sources ----------------------------------------------------------------------------------


def _raw_format(options: Dict[str, Any]) -> Any:
    """The AudioFormat the options give for a raw file (None when they give no encoding)."""
    from .audio_sources import AudioFormat

    if "encoding" not in options:
        return None
    try:
        rate, channels = int(options.get("sample_rate", 0)), int(options.get("channels", 1))
    except (TypeError, ValueError):
        raise CliError("sample_rate and channels must be whole numbers, e.g. --option sample_rate=16000",
                       EXIT_USAGE) from None
    return AudioFormat(str(options["encoding"]), rate, channels)


class StdinAudio:
    """Standard input's bytes as they arrive, read on a daemon thread (a blocked read never holds exit)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        # Made in start(), on the running loop: before 3.10 they bind to the loop current when made.
        self._queue: Optional[asyncio.Queue[bytes]] = None
        self._stopped: Optional[asyncio.Event] = None

    def start(self) -> None:
        """Start reading (from within the running loop)."""
        loop = asyncio.get_running_loop()
        self._queue, self._stopped = asyncio.Queue(), asyncio.Event()
        threading.Thread(target=self._pump, args=(loop,), name="deepgram-stdin", daemon=True).start()

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        read = getattr(self._stream, "read1", None) or self._stream.read
        while True:
            try:
                chunk = bytes(read(STDIN_CHUNK))
            except (OSError, ValueError):
                chunk = b""
            assert self._queue is not None
            try:
                loop.call_soon_threadsafe(self._queue.put_nowait, chunk)
            except RuntimeError:  # the loop has closed: nobody is listening any more
                return
            if not chunk:
                return

    def close(self) -> None:
        """Stop sending (Ctrl-C): the frames stop, whatever standard input does."""
        if self._stopped is not None:
            self._stopped.set()

    async def next_chunk(self) -> bytes:
        """The next bytes, or ``b""`` at the end of the input or after ``close()``."""
        assert self._queue is not None and self._stopped is not None, "start() first"
        if self._stopped.is_set():
            return b""
        getting = asyncio.ensure_future(self._queue.get())
        stopping = asyncio.ensure_future(self._stopped.wait())
        await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if getting.done():
            return getting.result()
        getting.cancel()
        return b""

    async def frames(self, first: bytes) -> AsyncIterator[bytes]:
        """``first``, then every later chunk until the end."""
        chunk = first
        while chunk:
            yield chunk
            chunk = await self.next_chunk()


def _reconnects_for_stdin(options: Dict[str, Any], head: bytes) -> int:
    """Reconnect only when the audio can be replayed from any sample: raw, or a PCM WAV stream."""
    from ._resume import audio_layout, wav_layout
    from .errors import DeepgramSetupError

    if "encoding" in options:
        try:
            return RECONNECTS if audio_layout(options) is not None else 0
        except DeepgramSetupError:  # compressed: it cannot be cut at an arbitrary byte
            return 0
    return RECONNECTS if wav_layout(head) is not None else 0


# -- the command ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Stream until the audio ends or Ctrl-C, printing as results come; the exit status."""
    options = options_dict(args.option)
    if args.interim:
        options.setdefault("interim_results", True)
    dg = make_client(args)
    source: Union[FileSource, Microphone, StdinAudio]
    if args.file == "-":
        source = StdinAudio(sys.stdin.buffer)
    elif args.file is None:
        from .audio_sources import Microphone

        source = Microphone()  # DeepgramSetupError names the mic extra when sounddevice is missing
        options = {**source.format.options(), **options}
    else:
        from .audio_sources import FileSource

        if not os.path.isfile(args.file):
            raise CliError(f"no such file: {args.file}", EXIT_USAGE)
        source = FileSource(args.file, speed=args.speed, format=_raw_format(options))
        options = {**source.format.options(), **options}
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)} \
        if in_main_thread else {}
    try:
        return asyncio.run(_stream(dg, source, options, args))
    finally:
        if not isinstance(source, StdinAudio):
            source.close()
        for signum, handler in previous.items():  # the loop's handlers went with it: put the earlier back
            if handler is not None:
                signal.signal(signum, handler)


async def _stream(dg: Deepgram, source: Union[FileSource, Microphone, StdinAudio], options: Dict[str, Any],
                  args: argparse.Namespace) -> int:
    from ._live_connect import LiveSettings
    from .audio_sources import stream_file
    from .captions import LiveCaptions

    frames: AsyncIterable[bytes]
    if isinstance(source, StdinAudio):
        source.start()
        first = await source.next_chunk()
        if not first:
            raise CliError("standard input held no audio")
        reconnect = _reconnects_for_stdin(options, first)
        frames = source.frames(first)
    else:
        reconnect = RECONNECTS  # a FileSource and the microphone give raw audio: replayable
        frames = source
    interrupted: List[int] = []
    _on_signals(lambda signum: _first_signal(signum, interrupted, source))
    printer = Printer(args.interim, args.json)
    captions = LiveCaptions(args.captions, on_cue=Printer.cue) if args.captions and not args.json else None
    if captions is not None and captions.format == "vtt":
        print("WEBVTT\n", flush=True)
    errors: List[str] = []
    async with dg.transcription.live(options, settings=LiveSettings(reconnect=reconnect)) as live:
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, captions.add if captions else printer.message)
        live.register_handler(live.event.ERROR, lambda error: errors.append(" ".join(str(error).split())))
        live.register_handler(live.event.RECONNECTING, lambda info: print(
            f"connection lost (code {info['code']}); reconnecting", file=sys.stderr, flush=True))
        sent = await stream_file(live, frames)
    if captions is not None:
        captions.close()
    duration = (live.metadata or {}).get("duration")
    print(f"sent {sent} bytes" + (f" ({duration:.2f} s of audio)" if isinstance(duration, (int, float)) else "")
          + f"; request id {live.request_id}; closed with code {live.close_code}", file=sys.stderr, flush=True)
    for error in errors:
        print(f"deepgram stream: error: {error}", file=sys.stderr, flush=True)
    if interrupted:
        return 128 + interrupted[0]
    return EXIT_OK if live.close_code in (1000, None) and not errors else EXIT_FAILED


def _on_signals(handler: Callable[[int], None]) -> None:
    """Call ``handler`` on SIGINT and SIGTERM (on Windows, Ctrl-C raises KeyboardInterrupt instead)."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, handler, int(signum))
        except (NotImplementedError, RuntimeError):  # Windows; or not the main thread
            return


def _first_signal(signum: int, interrupted: List[int], source: Union[FileSource, Microphone, StdinAudio]) -> None:
    if interrupted:
        sys.stderr.write("\nStopped at once (a second signal).\n")
        sys.stderr.flush()
        os._exit(128 + interrupted[0])
    interrupted.append(signum)
    print("stopping: finishing the stream (results for the audio sent are still coming; "
          "send the signal again to stop at once)", file=sys.stderr, flush=True)
    source.close()  # the frames end, and leaving the `async with` finishes the stream
