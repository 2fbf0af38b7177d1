"""Stream an audio file at real-time pace and print the transcripts as they arrive.

With DEEPGRAM_API_KEY set it streams to Deepgram; without it, to the bundled emulator (and says
so). Usage: python examples/streaming/main.py [path/to/audio.wav]
"""

import asyncio
import os
import sys
import wave
from typing import Any, Dict

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram, sample_path

CHUNK_SECONDS = 0.1


def print_transcript(message: Dict[str, Any]) -> None:
    """A TRANSCRIPT_RECEIVED handler: print final results."""
    if message.get("type") == "Results" and message["is_final"]:
        transcript = message["channel"]["alternatives"][0]["transcript"]
        if transcript:
            print(f"[{message['start']:6.2f}s] {transcript}", flush=True)


async def stream(dg: Deepgram, path: str) -> None:
    """Send the file in 100 ms chunks, one every 100 ms, then finish and wait for the last results."""
    with wave.open(path, "rb") as audio:
        frames_per_chunk = int(audio.getframerate() * CHUNK_SECONDS)
        options = {"encoding": "linear16", "sample_rate": audio.getframerate(),
                   "channels": audio.getnchannels(), "punctuate": True, "model": "nova-3"}
        async with dg.transcription.live(options) as live:
            live.register_handler(live.event.TRANSCRIPT_RECEIVED, print_transcript)
            live.register_handler(live.event.ERROR, lambda error: print(f"error: {error}"))
            live.register_handler(live.event.CLOSE, lambda code: print(f"closed with code {code}"))
            while True:
                chunk = audio.readframes(frames_per_chunk)
                if not chunk:
                    break
                live.send(chunk)
                await asyncio.sleep(CHUNK_SECONDS)
        # Leaving the block sent CloseStream and waited for the final results and Metadata.
        if live.metadata is not None:
            print(f"request id {live.request_id}, {live.metadata['duration']:.2f} s of audio")


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else str(sample_path("fox.wav"))
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Streaming to Deepgram (DEEPGRAM_API_KEY is set).")
        asyncio.run(stream(Deepgram(key), path))
        return
    print("DEEPGRAM_API_KEY is not set: streaming to the bundled local Deepgram emulator.")
    with FakeDeepgram() as fake:
        asyncio.run(stream(Deepgram({"api_key": fake.api_key, "api_url": fake.url}), path))


if __name__ == "__main__":
    main()
