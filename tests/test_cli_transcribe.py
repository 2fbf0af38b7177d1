"""``deepgram transcribe`` as a process: stopped by SIGTERM or SIGINT and run again, each input is
transcribed exactly once and every output is whole.

The emulator runs in this process, slowed down so that a run can be stopped half-way. Its
``fake.script(..., delay=)`` answers with the scripted body instead of a transcript, so the
transcription handler itself is wrapped here: it waits, then transcribes as usual.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from test_cli import ENV_NAMES, write_wav

from deepgram.testing import FakeDeepgram
from deepgram.testing._prerecorded import PrerecordedApi

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def slow_fake(monkeypatch):
    """An emulator whose transcriptions take ``pace["delay"]`` seconds; with ``pace["hold_after"] = N``
    every request after the first N is held until the emulator stops."""
    pace = {"delay": 0.2, "hold_after": None, "seen": 0}
    transcribe = PrerecordedApi.listen

    async def slow_listen(self, request):
        pace["seen"] += 1
        hold = pace["hold_after"] is not None and pace["seen"] > pace["hold_after"]
        await self.plumbing.pause(3600 if hold else pace["delay"])  # wakes when the emulator stops
        return await transcribe(self, request)

    monkeypatch.setattr(PrerecordedApi, "listen", slow_listen)  # before the app is built, at start
    with FakeDeepgram() as fake:
        yield fake, pace


def command(fake, *args):
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(DEEPGRAM_API_URL=fake.url, DEEPGRAM_API_KEY=fake.api_key)
    return [sys.executable, "-W", "error", "-m", "deepgram", "transcribe", *map(str, args)], env


def start(fake, stderr_path, *args):
    argv, env = command(fake, *args)
    with open(stderr_path, "w") as stderr:  # a file, not a terminal: plain progress lines
        return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)


def run(fake, *args):
    argv, env = command(fake, *args)
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def wait_until(predicate, process, what, timeout=60.0):
    """Poll until ``predicate()``; fail if the deadline passes or the process ended first."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert process.poll() is None, f"the command ended (status {process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def make_tree(root, count):
    """``count`` distinct WAV files; the same names recur in several folders."""
    return [write_wav(root / f"day{i // 10}" / ("late" if i % 4 == 0 else "") / f"call{i % 10}.wav",
                      seconds=1.0, seed=i) for i in range(count)]


def outputs_of(source, out, path, formats=("json", "srt", "txt")):
    stem = out / path.parent.relative_to(source) / path.stem
    return [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]


def complete(source, out, files):
    return sum(all(p.exists() for p in outputs_of(source, out, f)) for f in files)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def posted(fake):
    return Counter(sha(r.body) for r in fake.requests if r.method == "POST" and r.path == "/v1/listen")


def check_outputs(source, out, files):
    import json

    for path in files:
        json_path, srt, txt = outputs_of(source, out, path)
        result = json.loads(json_path.read_text(encoding="utf-8"))
        assert result["results"]["channels"][0]["alternatives"][0]["words"], path
        assert srt.read_text(encoding="utf-8").startswith("1\n00:00:"), path
        assert txt.read_text(encoding="utf-8").strip(), path
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]  # no temporary file left behind


def test_stopped_by_sigterm_and_run_again_each_file_is_transcribed_exactly_once(slow_fake, tmp_path):
    fake, _ = slow_fake
    source, out = tmp_path / "calls", tmp_path / "out"
    files = make_tree(source, 50)
    assert len({sha(f.read_bytes()) for f in files}) == 50
    args = (source, "--out", out, "--format", "json,srt,txt", "--concurrency", "4")

    process = start(fake, tmp_path / "first.err", *args)
    try:
        wait_until(lambda: complete(source, out, files) >= 20, process, "20 inputs were complete")
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()  # reaps it and closes its pipes, so a failure does not also leak them
    first_err = (tmp_path / "first.err").read_text()
    assert process.returncode == 143, stdout + first_err
    done_first = complete(source, out, files)
    assert 20 <= done_first < 50
    assert f"Transcribed {done_first}, skipped 0 (already transcribed), failed 0" in stdout
    assert f"Stopped by SIGTERM: {50 - done_first} input(s) not started." in stdout
    assert "SIGTERM: starting no new input" in first_err
    ok_lines = [line for line in first_err.splitlines() if " ok " in line]
    assert len(ok_lines) == done_first
    assert all(re.fullmatch(r"\[\d+/50\] ok \S+call\d\.wav \(\d+\.\d KB, \d+\.\d s\)", line) for line in ok_lines)
    assert len(posted(fake)) == done_first  # nothing was sent that was not written

    again = run(fake, *args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"Transcribed {50 - done_first}, skipped {done_first} (already transcribed), failed 0" in again.stdout
    assert again.stderr.count(": already transcribed") == done_first

    assert posted(fake) == Counter({sha(f.read_bytes()): 1 for f in files})
    check_outputs(source, out, files)


def test_stopped_by_sigint_exits_130_and_the_next_run_finishes(slow_fake, tmp_path):
    fake, _ = slow_fake
    source, out = tmp_path / "calls", tmp_path / "out"
    files = make_tree(source, 12)
    args = (source, "--out", out, "--format", "json,srt,txt", "--concurrency", "2")
    process = start(fake, tmp_path / "first.err", *args)
    try:
        wait_until(lambda: complete(source, out, files) >= 3, process, "3 inputs were complete")
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()  # reaps it and closes its pipes, so a failure does not also leak them
    assert process.returncode == 130, stdout
    assert "Stopped by SIGINT" in stdout and complete(source, out, files) < 12
    again = run(fake, *args)
    assert again.returncode == 0, again.stderr
    assert posted(fake) == Counter({sha(f.read_bytes()): 1 for f in files})
    check_outputs(source, out, files)


def test_a_second_signal_stops_at_once(slow_fake, tmp_path):
    fake, pace = slow_fake
    pace["hold_after"] = 1  # the first answers; the others hang until the emulator stops
    source, out = tmp_path / "calls", tmp_path / "out"
    files = make_tree(source, 4)
    args = (source, "--out", out, "--format", "json", "--concurrency", "2")
    err_path = tmp_path / "first.err"
    process = start(fake, err_path, *args)
    try:
        wait_until(lambda: any(out.rglob("*.json")), process, "the first output")
        process.send_signal(signal.SIGINT)
        wait_until(lambda: "starting no new input" in err_path.read_text(), process, "the first signal's notice")
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()  # reaps it and closes its pipes, so a failure does not also leak them
    assert process.returncode == 130
    assert "Stopped at once" in err_path.read_text() and "Transcribed" not in stdout
    assert len(list(out.rglob("*.json"))) == 1

    pace["hold_after"] = None
    again = run(fake, *args)
    assert again.returncode == 0, again.stderr
    assert "skipped 1 (already transcribed)" in again.stdout
    first = next(f for f in files if all(p.exists() for p in outputs_of(source, out, f, ("json",))))
    assert posted(fake)[sha(first.read_bytes())] == 1  # what was written is never sent again
