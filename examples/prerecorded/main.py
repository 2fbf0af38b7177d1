"""Transcribe an audio file with the v0 call shape.

With DEEPGRAM_API_KEY set it asks Deepgram; without it, it starts the bundled emulator and
says so, and says when the emulator made the words up (it knows only its bundled samples).
Usage: python examples/prerecorded/main.py [path/to/audio.wav]
"""

import asyncio
import os
import sys

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram, sample_path
from deepgram.types import PrerecordedResponse


async def transcribe(dg: Deepgram, path: str) -> PrerecordedResponse:
    """Send the file (streamed from disk) and return the parsed response."""
    with open(path, "rb") as audio:
        source = {"buffer": audio, "mimetype": "audio/wav"}
        response = await dg.transcription.prerecorded(
            source, {"punctuate": True, "utterances": True}, model="nova-3")
        return response


def made_up(response: PrerecordedResponse) -> bool:
    """Whether the emulator invented the words (its model name says so; Deepgram's never does)."""
    models = response["metadata"].get("model_info", {}).values()
    return any("emulator" in model.get("name", "") and "made-up" in model.get("name", "") for model in models)


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else str(sample_path("fox.wav"))
    key = os.environ.get("DEEPGRAM_API_KEY")
    if key:
        print("Using Deepgram's API (DEEPGRAM_API_KEY is set).")
        dg = Deepgram(key)
        response = asyncio.run(transcribe(dg, path))
    else:
        print("DEEPGRAM_API_KEY is not set: using the bundled local Deepgram emulator.")
        with FakeDeepgram() as fake:
            dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
            response = asyncio.run(transcribe(dg, path))
    alternative = response["results"]["channels"][0]["alternatives"][0]
    print(f"Request id: {response['metadata']['request_id']}")
    print(f"Duration:   {response['metadata']['duration']:.2f} s")
    print(f"Transcript: {alternative['transcript']}")
    if made_up(response):
        print("The words are made up: the emulator does not recognise speech "
              "(only its bundled samples get their real text).")
    print("Captions (SRT):")
    print(dg.extra.to_SRT(response, readable=False))


if __name__ == "__main__":
    main()
