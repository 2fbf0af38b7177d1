"""Stream text to speech over the ``/v1/speak`` websocket: send a few sentences, flushing after
each, and write the audio that comes back to a WAV file.

With DEEPGRAM_API_KEY set it talks to Deepgram; without it, to the bundled emulator (and says
so: the emulator's "voice" is a plain tone as long as the text, not speech).
Usage: python examples/speak_stream/main.py [--out speech.wav] [--sample-rate 24000] [--model aura-2-thalia-en]
"""

import argparse
import asyncio
import os
import wave
from typing import Any, Dict

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram

SENTENCES = [
    "Hello! This is streaming text to speech.",
    "Each sentence is flushed on its own, so its audio comes back at once.",
    "Goodbye.",
]
SAMPLE_RATES = [8000, 16000, 24000, 32000, 48000]  # what /v1/speak offers for linear16
SAMPLE_WIDTH = 2  # linear16: two bytes a sample, mono
FLUSH_TIMEOUT = 30.0  # seconds to wait for the audio of every sentence


class Recorder:
    """AUDIO, FLUSHED and METADATA handlers: write the audio to the WAV file, report each flush."""

    def __init__(self, writer: wave.Wave_write, sample_rate: int, flushes: int) -> None:
        self.writer = writer
        self.sample_rate = sample_rate
        self.flushes = flushes
        self.total_bytes = 0
        self.since_flush = 0
        self.flushed = 0
        self.all_flushed = asyncio.Event()  # made inside the running loop (Python 3.8 binds it there)

    def on_audio(self, chunk: bytes) -> None:
        self.writer.writeframes(chunk)
        self.total_bytes += len(chunk)
        self.since_flush += len(chunk)

    def on_flushed(self, message: Dict[str, Any]) -> None:
        seconds = self.since_flush / (SAMPLE_WIDTH * self.sample_rate)
        print(f"[flush {self.flushed}] {self.since_flush} bytes ({seconds:.2f} s of audio)", flush=True)
        self.flushed += 1
        self.since_flush = 0
        if self.flushed >= self.flushes:
            self.all_flushed.set()

    def on_metadata(self, message: Dict[str, Any]) -> None:
        print(f"request id {message.get('request_id')}, model {message.get('model_name')}", flush=True)


async def speak(dg: Deepgram, out: str, model: str, sample_rate: int) -> int:
    """Speak ``SENTENCES`` into the WAV file ``out``; the number of audio frames written."""
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(sample_rate)
        recorder = Recorder(writer, sample_rate, len(SENTENCES))
        async with dg.speak.live(model=model, encoding="linear16", sample_rate=sample_rate) as tts:
            tts.register_handler(tts.event.METADATA, recorder.on_metadata)
            tts.register_handler(tts.event.AUDIO, recorder.on_audio)
            tts.register_handler(tts.event.FLUSHED, recorder.on_flushed)
            tts.register_handler(tts.event.WARNING, lambda message: print(f"warning: {message}", flush=True))
            tts.register_handler(tts.event.ERROR, lambda error: print(f"error: {error}", flush=True))
            tts.register_handler(tts.event.CLOSE, lambda code: print(f"closed with code {code}", flush=True))
            for sentence in SENTENCES:
                tts.send_text(sentence)
                tts.flush()
            await asyncio.wait_for(recorder.all_flushed.wait(), FLUSH_TIMEOUT)
        # Leaving the block sent Close: nothing was left to speak, and the socket closed.
    frames = recorder.total_bytes // SAMPLE_WIDTH
    print(f"wrote {frames} frames ({frames / sample_rate:.2f} s at {sample_rate} Hz) to {out}")
    return frames


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Stream sentences to /v1/speak and save the audio as WAV.")
    parser.add_argument("--out", default="speech.wav", help="the WAV file to write (default: speech.wav)")
    parser.add_argument("--model", default="aura-2-thalia-en", help="the Aura voice (default: aura-2-thalia-en)")
    parser.add_argument("--sample-rate", type=int, default=24000, choices=SAMPLE_RATES,
                        help="the audio's sample rate in Hz (default: 24000)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Speaking with Deepgram (DEEPGRAM_API_KEY is set).")
        asyncio.run(speak(Deepgram(key), args.out, args.model, args.sample_rate))
        return
    print("DEEPGRAM_API_KEY is not set: speaking with the bundled local Deepgram emulator "
          "(its audio is a tone as long as the text, not speech).")
    with FakeDeepgram() as fake:
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
        asyncio.run(speak(dg, args.out, args.model, args.sample_rate))


if __name__ == "__main__":
    main()
