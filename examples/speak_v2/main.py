"""Speak a language model's answer as it streams in, over Flux text to speech (``/v2/speak``).

The "LLM tokens" are word pieces sent one by one with ``send_text``; ``flush`` ends each answer
(one speech, reported by a SpeechMetadata), and ``finish()`` returns the session's totals
(SessionMetadata). ``--out`` also writes the audio to a WAV file.

With DEEPGRAM_API_KEY set it talks to Deepgram; without it, to the bundled emulator (and says
so: the emulator's "voice" is a plain tone as long as the text, not speech).
Usage: python examples/speak_v2/main.py [--out answer.wav] [--sample-rate 24000] [--model flux-alexis-en]
"""

import argparse
import asyncio
import os
import wave
from typing import Any, Dict, List, Optional

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram

# Two answers, as a language model streams them: word pieces, each sent as it "arrives".
ANSWERS: List[List[str]] = [
    ["Sure", "!", " Flux", " speaks", " text", " while", " it", " is", " still", " stream", "ing", " in", "."],
    [" Each", " flush", " ends", " one", " speech", ",", " with", " its", " own", " metadata", "."],
]
TOKEN_SECONDS = 0.02  # the pause between tokens, as a model's output would have
SAMPLE_RATES = [8000, 16000, 24000, 32000, 44100, 48000]  # what /v2/speak offers for linear16
SAMPLE_WIDTH = 2  # linear16: two bytes a sample, mono
FINISH_TIMEOUT = 30.0  # seconds finish() may wait for the last audio and the SessionMetadata


class Listener:
    """The stream's handlers: count (and optionally save) the audio, print each speech's metadata."""

    def __init__(self, writer: Optional[wave.Wave_write]) -> None:
        self.writer = writer
        self.audio_bytes = 0

    def on_connected(self, message: Dict[str, Any]) -> None:
        print(f"request id {message.get('request_id')}, model {message.get('model_name')}", flush=True)

    def on_audio(self, chunk: bytes) -> None:
        self.audio_bytes += len(chunk)
        if self.writer is not None:
            self.writer.writeframes(chunk)

    def on_speech_metadata(self, message: Dict[str, Any]) -> None:
        print(f"[speech {message['speech_id']}] {message['audio_duration_ms']} ms of audio for "
              f"{message['input_character_count']} characters ({message['billable_character_count']} billable)",
              flush=True)


async def speak(dg: Deepgram, model: str, sample_rate: int, writer: Optional[wave.Wave_write]) -> Dict[str, Any]:
    """Stream ``ANSWERS`` token by token, one speech each; the SessionMetadata."""
    listener = Listener(writer)
    async with dg.speak.live_v2(model=model, encoding="linear16", sample_rate=sample_rate) as tts:
        tts.register_handler(tts.event.CONNECTED, listener.on_connected)
        tts.register_handler(tts.event.AUDIO, listener.on_audio)
        tts.register_handler(tts.event.SPEECH_METADATA, listener.on_speech_metadata)
        tts.register_handler(tts.event.WARNING, lambda message: print(f"warning: {message}", flush=True))
        tts.register_handler(tts.event.ERROR, lambda error: print(f"error: {error}", flush=True))
        tts.register_handler(tts.event.CLOSE, lambda code: print(f"closed with code {code}", flush=True))
        for tokens in ANSWERS:
            for token in tokens:
                tts.send_text(token)
                await asyncio.sleep(TOKEN_SECONDS)
            tts.flush()  # the answer is complete: speak the rest of it now
        summary = await tts.finish(timeout=FINISH_TIMEOUT)  # sends Close; returns the SessionMetadata
    if summary is None:
        raise SystemExit("The stream ended without a SessionMetadata.")
    print(f"session: {summary['total_audio_duration_ms']} ms of audio for "
          f"{summary['total_input_character_count']} characters "
          f"({summary['total_billable_character_count']} billable); {listener.audio_bytes} bytes received")
    return summary


def run(dg: Deepgram, args: argparse.Namespace) -> None:
    """Speak, writing the audio to ``args.out`` when one was given."""
    if args.out is None:
        asyncio.run(speak(dg, args.model, args.sample_rate, None))
        return
    with wave.open(args.out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(args.sample_rate)
        asyncio.run(speak(dg, args.model, args.sample_rate, writer))
    print(f"wrote the audio to {args.out}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Stream LLM tokens to /v2/speak and print the metadata.")
    parser.add_argument("--out", help="also write the audio to this WAV file")
    parser.add_argument("--model", default="flux-alexis-en", help="the Flux voice (default: flux-alexis-en)")
    parser.add_argument("--sample-rate", type=int, default=24000, choices=SAMPLE_RATES,
                        help="the audio's sample rate in Hz (default: 24000)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Speaking with Deepgram (DEEPGRAM_API_KEY is set).")
        run(Deepgram(key), args)
        return
    print("DEEPGRAM_API_KEY is not set: speaking with the bundled local Deepgram emulator "
          "(its audio is a tone as long as the text, not speech).")
    with FakeDeepgram() as fake:
        run(Deepgram({"api_key": fake.api_key, "api_url": fake.url}), args)


if __name__ == "__main__":
    main()
