"""Stream an audio file at real-time pace (or the microphone) and print the transcripts as they arrive.

With DEEPGRAM_API_KEY set it streams to Deepgram; without it, to the bundled emulator (and says
so). ``--speed 4`` sends the file four times faster than it plays (0: as fast as possible).
``--mic`` streams 10 s from the microphone instead (Ctrl-C stops sooner); it needs the ``mic``
extra: pip install "deepgram-v0[mic]".
Usage: python examples/streaming/main.py [path/to/audio.wav] [--speed N] | --mic
"""

import argparse
import asyncio
import os
import signal
import sys
from typing import Any, AsyncIterator, Dict, Union

from deepgram import Deepgram
from deepgram.audio_sources import FileSource, Microphone, stream_file
from deepgram.errors import DeepgramSetupError
from deepgram.testing import FakeDeepgram, sample_path

MIC_SECONDS = 10


def print_transcript(message: Dict[str, Any]) -> None:
    """A TRANSCRIPT_RECEIVED handler: print final results."""
    if message.get("type") == "Results" and message["is_final"]:
        transcript = message["channel"]["alternatives"][0]["transcript"]
        if transcript:
            print(f"[{message['start']:6.2f}s] {transcript}", flush=True)


async def first_seconds(mic: Microphone, seconds: float) -> AsyncIterator[bytes]:
    """The microphone's frames until ``seconds`` of audio (it would go on for ever), or Ctrl-C."""
    try:
        # Ctrl-C stops the recording, and the stream still finishes: what was said is transcribed.
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, mic.close)
    except NotImplementedError:
        pass  # Windows: Ctrl-C raises KeyboardInterrupt instead (main() reports it)
    recorded, limit = 0, mic.format.byte_rate * seconds
    async for frame in mic:
        yield frame
        recorded += len(frame)
        if recorded >= limit:
            return


async def stream(dg: Deepgram, source: Union[FileSource, Microphone]) -> None:
    """Send the source's frames as they come (a file: paced by FileSource), then finish and wait
    for the last results."""
    options = {**source.format.options(), "punctuate": True, "model": "nova-3"}
    frames = first_seconds(source, MIC_SECONDS) if isinstance(source, Microphone) else source
    async with dg.transcription.live(options) as live:
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, print_transcript)
        live.register_handler(live.event.ERROR, lambda error: print(f"error: {error}"))
        live.register_handler(live.event.CLOSE, lambda code: print(f"closed with code {code}"))
        sent = await stream_file(live, frames)
        print(f"sent {sent} bytes ({sent / source.format.byte_rate:.2f} s of audio)", flush=True)
    # Leaving the block sent CloseStream and waited for the final results and Metadata.
    if live.metadata is not None:
        print(f"request id {live.request_id}, {live.metadata['duration']:.2f} s of audio")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Stream a WAV file (or the microphone) and print the transcripts.")
    parser.add_argument("path", nargs="?", default=str(sample_path("fox.wav")),
                        help="a WAV file (default: the bundled fox.wav)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="how many times faster than real time to send the file (0: as fast as possible)")
    parser.add_argument("--mic", action="store_true", help=f"stream {MIC_SECONDS} s from the microphone instead")
    return parser.parse_args()


def open_source(args: argparse.Namespace) -> Union[FileSource, Microphone]:
    """The microphone or the file; a bad file or a missing extra ends the program with its message."""
    try:
        return Microphone() if args.mic else FileSource(args.path, speed=args.speed)
    except DeepgramSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    args = parse_args()
    with open_source(args) as source:
        if args.mic:
            print(f"Recording {MIC_SECONDS} s from the microphone (Ctrl-C stops sooner).", flush=True)
        key = os.environ.get("DEEPGRAM_API_KEY")
        try:
            if key:
                print("Streaming to Deepgram (DEEPGRAM_API_KEY is set).")
                asyncio.run(stream(Deepgram(key), source))
                return
            print("DEEPGRAM_API_KEY is not set: streaming to the bundled local Deepgram emulator.")
            with FakeDeepgram() as fake:
                asyncio.run(stream(Deepgram({"api_key": fake.api_key, "api_url": fake.url}), source))
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
            sys.exit(130)


if __name__ == "__main__":
    main()
