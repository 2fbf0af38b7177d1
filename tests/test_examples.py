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
    done = run_example("examples/streaming/main.py", "--speed", "4")  # paced, four times faster than it plays
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


def test_flux_example_prints_each_turn_of_the_fox_sample_at_its_end():
    done = run_example("examples/flux/main.py", "--speed", "10")
    assert done.returncode == 0, done.stderr
    assert "streaming to the bundled local Deepgram emulator" in done.stdout
    assert "[turn 0] The quick brown fox jumps over the lazy dog.\n" in done.stdout
    assert "[turn 1] Deepgram turns speech into text.\n" in done.stdout
    assert "closed with code 1000" in done.stdout
    assert ", 2 turns" in done.stdout


def test_speak_stream_example_writes_a_wav_file_of_the_audio_of_every_flush(tmp_path):
    import re

    out = tmp_path / "speech.wav"
    done = run_example("examples/speak_stream/main.py", "--out", str(out), "--sample-rate", "16000")
    assert done.returncode == 0, done.stderr
    assert "speaking with the bundled local Deepgram emulator" in done.stdout
    assert "a synthetic tone, not speech" in done.stdout  # the emulator's Metadata says so
    flushed = [int(n) for n in re.findall(r"^\[flush \d\] (\d+) bytes", done.stdout, re.M)]
    assert len(flushed) == 3 and all(flushed)
    with wave.open(str(out), "rb") as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 16000)
        assert audio.getnframes() * 2 == sum(flushed) > 0
    assert f"wrote {sum(flushed) // 2} frames" in done.stdout
    assert "closed with code 1000" in done.stdout


def test_speak_v2_example_prints_each_speech_and_the_session_totals(tmp_path):
    import re

    out = tmp_path / "answer.wav"
    done = run_example("examples/speak_v2/main.py", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "speaking with the bundled local Deepgram emulator" in done.stdout
    speeches = re.findall(r"^\[speech dg_sp_\w+\] (\d+) ms of audio for (\d+) characters", done.stdout, re.M)
    assert len(speeches) == 2  # one per flushed answer
    session = re.search(r"^session: (\d+) ms of audio for (\d+) characters \((\d+) billable\); (\d+) bytes",
                        done.stdout, re.M)
    assert session, done.stdout
    ms, characters, billable, received = map(int, session.groups())
    assert ms == sum(int(s[0]) for s in speeches) > 0
    assert characters == billable == sum(int(s[1]) for s in speeches) == 105  # every token was spoken
    with wave.open(str(out), "rb") as audio:
        assert audio.getframerate() == 24000 and audio.getnframes() * 2 == received > 0
    assert "closed with code 1000" in done.stdout


def test_agent_example_answers_the_function_call_and_prints_the_conversation():
    done = run_example("examples/agent/main.py", "--timeout", "20")
    assert done.returncode == 0, done.stderr
    assert "talking to the bundled local Deepgram emulator" in done.stdout
    lines = done.stdout.splitlines()
    user = lines.index("user: What's the weather like in Paris today?")
    call = next(i for i, line in enumerate(lines) if line.startswith("function call: get_weather("))
    answer = next(i for i, line in enumerate(lines) if line.startswith("assistant: get_weather returned: "))
    assert user < call < answer
    assert '"forecast": "sunny"' in lines[answer]  # the agent spoke what the function returned
    assert "closed with code 1000" in done.stdout


def test_agent_example_speaks_the_question_from_a_wav_file():
    done = run_example("examples/agent/main.py", "--audio", "--speed", "10", "--timeout", "20")
    assert done.returncode == 0, done.stderr
    assert "user: The quick brown fox jumps over the lazy dog." in done.stdout
    assert "assistant: get_weather returned: " in done.stdout
    assert "closed with code 1000" in done.stdout


def test_callbacks_example_receives_the_result_once_although_the_emulator_delivers_it_twice():
    done = run_example("examples/callbacks/main.py")
    assert done.returncode == 0, done.stderr
    assert "using the bundled local Deepgram emulator" in done.stdout
    assert "Deliveries: 2 (answered 200, 200); results acted on: 1" in done.stdout
    assert "Transcript: The quick brown fox jumps over the lazy dog. Deepgram turns speech into text." in done.stdout
    queued = done.stdout.split("Request id: ", 1)[1].split(" ", 1)[0]
    assert f"Callback received for request {queued}\n" in done.stdout


def test_callbacks_example_with_a_key_but_no_public_url_says_why_and_sends_nothing():
    env = {k: v for k, v in os.environ.items() if k != "CALLBACK_URL"}
    env["DEEPGRAM_API_KEY"] = "0123456789abcdef0123456789abcdef01234567"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-W", "error", str(ROOT / "examples/callbacks/main.py")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "set CALLBACK_URL to a public http(s) URL" in done.stdout and "Nothing was sent." in done.stdout
    assert "Request id" not in done.stdout
