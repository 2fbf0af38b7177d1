"""The examples run as a user would run them: a subprocess, with no key (so on the emulator)."""

import os
import subprocess
import sys
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MADE_UP = "The words are made up: the emulator does not recognise speech"


def run_example(relative, *args):
    env = {k: v for k, v in os.environ.items() if k != "DEEPGRAM_API_KEY"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-W", "error", str(ROOT / relative), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_prerecorded_example_says_it_uses_the_emulator_and_prints_the_transcript():
    done = run_example("examples/prerecorded/main.py")
    assert done.returncode == 0, done.stderr
    assert "using the bundled local Deepgram emulator" in done.stdout
    assert "Transcript: The quick brown fox jumps over the lazy dog." in done.stdout
    assert "00:00:00,020 --> " in done.stdout
    assert MADE_UP not in done.stdout


def test_streaming_example_paces_the_file_and_prints_final_transcripts():
    done = run_example("examples/streaming/main.py")
    assert done.returncode == 0, done.stderr
    assert "streaming to the bundled local Deepgram emulator" in done.stdout
    assert "The quick brown fox jumps over the lazy dog." in done.stdout
    assert "Deepgram turns speech into text." in done.stdout
    assert "closed with code 1000" in done.stdout


def test_prerecorded_example_says_the_words_for_other_audio_are_made_up(tmp_path):
    path = tmp_path / "mine.wav"
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(b"\x20\x00\xe0\xff" * 16000)  # two seconds of a quiet square wave
    done = run_example("examples/prerecorded/main.py", str(path))
    assert done.returncode == 0, done.stderr
    assert "using the bundled local Deepgram emulator" in done.stdout
    assert MADE_UP in done.stdout
