"""Stream an audio file to Flux (turn-based transcription, ``/v2/listen``) at real-time pace and
print each turn of speech when it ends.

With DEEPGRAM_API_KEY set it streams to Deepgram; without it, to the bundled emulator (and says
so). The file must be 16-bit PCM WAV, mono. ``--speed 4`` sends it four times faster than it plays.
Usage: python examples/flux/main.py [path/to/audio.wav] [--speed N]
"""

import argparse
import asyncio
import os
import wave
from typing import Any, Dict, List

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram, sample_path

CHUNK_SECONDS = 0.1
MODEL = "flux-general-en"


class Turns:
    """The TURN_INFO handler: print a turn at its EndOfTurn, and keep its transcript."""

    def __init__(self) -> None:
        self.transcripts: List[str] = []

    def __call__(self, message: Dict[str, Any]) -> None:
        if message["event"] == "EndOfTurn":
            self.transcripts.append(message["transcript"])
            print(f"[turn {message['turn_index']}] {message['transcript']}", flush=True)


def check_wav(audio: wave.Wave_read) -> None:
    """Flux takes raw linear16 here: refuse other WAV files with a clear message."""
    if audio.getsampwidth() != 2 or audio.getnchannels() != 1:
        raise SystemExit(f"Expected a 16-bit mono WAV file, got {8 * audio.getsampwidth()}-bit "
                         f"with {audio.getnchannels()} channels.")


async def stream(dg: Deepgram, path: str, speed: float) -> List[str]:
    """Send the file in 100 ms chunks, one every 100 ms (divided by ``speed``), then finish; the turns."""
    turns = Turns()
    with wave.open(path, "rb") as audio:
        check_wav(audio)
        frames_per_chunk = int(audio.getframerate() * CHUNK_SECONDS)
        options = {"model": MODEL, "encoding": "linear16", "sample_rate": audio.getframerate()}
        async with dg.transcription.live_v2(options) as flux:
            flux.register_handler(flux.event.CONNECTED, lambda _: print(f"connected to {MODEL}", flush=True))
            flux.register_handler(flux.event.TURN_INFO, turns)
            flux.register_handler(flux.event.ERROR, lambda error: print(f"error: {error}", flush=True))
            flux.register_handler(flux.event.CLOSE, lambda code: print(f"closed with code {code}", flush=True))
            while True:
                chunk = audio.readframes(frames_per_chunk)
                if not chunk:
                    break
                flux.send(chunk)
                await asyncio.sleep(CHUNK_SECONDS / speed)
        # Leaving the block sent CloseStream: Flux ended the last turn and closed the socket.
    print(f"request id {flux.request_id}, {len(turns.transcripts)} turns")
    return turns.transcripts


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Stream a WAV file to Flux and print each turn.")
    parser.add_argument("path", nargs="?", default=str(sample_path("fox.wav")),
                        help="a 16-bit mono WAV file (default: the bundled fox.wav)")
    parser.add_argument("--speed", type=float, default=1.0, help="how many times faster than real time to send")
    args = parser.parse_args()
    if args.speed <= 0:
        parser.error("--speed must be positive")
    return args


def main() -> None:
    args = parse_args()
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Streaming to Deepgram Flux (DEEPGRAM_API_KEY is set).")
        asyncio.run(stream(Deepgram(key), args.path, args.speed))
        return
    print("DEEPGRAM_API_KEY is not set: streaming to the bundled local Deepgram emulator.")
    with FakeDeepgram() as fake:
        asyncio.run(stream(Deepgram({"api_key": fake.api_key, "api_url": fake.url}), args.path, args.speed))


if __name__ == "__main__":
    main()
