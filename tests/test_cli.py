"""The ``deepgram`` command, run in-process (``main([...])``) against the emulator, and as a process."""

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from deepgram import _cli_doctor, _cli_stream
from deepgram._cli_common import option_pair, options_dict, table
from deepgram._cli_progress import Progress, clock_text
from deepgram.cli import build_parser, main
from deepgram.testing import sample_path

ROOT = Path(__file__).resolve().parent.parent
FOX_FIRST = "the quick brown fox jumps over the lazy dog"
ENV_NAMES = ("DEEPGRAM_API_KEY", "DEEPGRAM_API_URL", "DEEPGRAM_HOST", "DEEPGRAM_ACCESS_TOKEN", "DEEPGRAM_TOKEN",
             "DEEPGRAM_LOG")


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def env(fake, clean_env):
    """The environment pointing the command at the emulator, as a user would set it."""
    clean_env.setenv("DEEPGRAM_API_URL", fake.url)
    clean_env.setenv("DEEPGRAM_API_KEY", fake.api_key)
    return fake


def write_wav(path, seconds=0.5, seed=0):
    """A short WAV of quiet, seed-dependent noise (distinct files, distinct transcripts)."""
    import random

    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        pattern = bytes(rng.getrandbits(8) & 0x0F for _ in range(256))
        size = int(16000 * seconds) * 2
        writer.writeframes((pattern * (size // len(pattern) + 1))[:size])
    return path


def listen_posts(fake):
    return [r for r in fake.requests if r.method == "POST" and r.path == "/v1/listen"]


# -- help, arguments, errors ----------------------------------------------------------------------


def _subparsers(parser):
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_every_command_and_option_has_help_and_an_example(capsys):
    parser = build_parser()
    commands = _subparsers(parser)
    assert set(commands) == {"transcribe", "stream", "speak", "projects", "keys", "members", "usage", "balances",
                             "emulator", "doctor"}
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        assert sub.description and f"deepgram {name}" in sub.epilog, name
        assert main([name, "--help"]) == 0
        out = capsys.readouterr().out
        assert f"usage: deepgram {name}" in out and "example" in out and "--api-key" in out
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in commands:
        assert name in out


def test_python_m_deepgram_help_runs_as_a_process():
    done = subprocess.run([sys.executable, "-m", "deepgram", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: deepgram" in done.stdout and "transcribe" in done.stdout and "doctor" in done.stdout


def test_the_installed_console_script_runs():
    script = shutil.which("deepgram", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the console script is not installed in this environment (pip install -e . makes it)")
    done = subprocess.run([script, "transcribe", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: deepgram transcribe" in done.stdout
    bad = subprocess.run([script, "transcribe"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "required: INPUT" in bad.stderr


def test_import_deepgram_loads_no_cli_module():
    code = "import sys, deepgram; print(sorted(m for m in sys.modules if m == 'deepgram.cli' or m.startswith('deepgram._cli_')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_command_prints_the_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: deepgram" in capsys.readouterr().err


def test_bad_arguments_get_argparse_message_and_status_2(capsys, clean_env):
    assert main(["transcribe"]) == 2
    assert "the following arguments are required: INPUT" in capsys.readouterr().err
    assert main(["transcribe", "a.wav", "--format", "json,pdf"]) == 2
    assert "unknown format pdf" in capsys.readouterr().err
    assert main(["transcribe", "a.wav", "--concurrency", "0"]) == 2
    assert "expected 1 or more" in capsys.readouterr().err
    assert main(["transcribe", "a.wav", "--option", "smart_format"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


def test_a_missing_key_says_how_to_set_one_or_use_the_emulator(capsys, clean_env, tmp_path):
    for argv in (["projects"], ["transcribe", str(tmp_path)], ["speak", "hi"], ["stream", str(sample_path())]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "No Deepgram API key" in err and "DEEPGRAM_API_KEY" in err and "--api-key" in err
        assert "deepgram emulator" in err and "Traceback" not in err


def test_setup_errors_are_status_2_without_a_traceback(capsys, env):
    assert main(["--api-url", "http://localhost:99999/v1", "projects"]) == 2
    err = capsys.readouterr().err
    assert "invalid port" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_other_errors_are_one_line_with_status_1_and_a_traceback_with_v(capsys, env):
    assert main(["keys", "no-such-project"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("deepgram keys: error:") and "404" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert main(["keys", "no-such-project", "-v"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "DeepgramApiError" in err


def test_verbose_logs_the_sdk_requests_and_leaves_logging_as_it_was(capsys, env):
    import logging

    logger = logging.getLogger("deepgram")
    before = (list(logger.handlers), logger.level, logger.propagate)
    assert main(["-v", "projects"]) == 0
    err = capsys.readouterr().err
    assert "GET /projects -> 200" in err and env.api_key not in err
    assert (list(logger.handlers), logger.level, logger.propagate) == before


def test_global_options_go_before_or_after_the_command(capsys, fake, clean_env):
    where = ["--api-url", fake.url, "--api-key", fake.api_key]
    assert main([*where, "--json", "projects"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["projects", *where, "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert before == after and before["projects"][0]["project_id"] == fake.project_id


def test_the_flags_win_over_the_environment(capsys, fake, clean_env):
    clean_env.setenv("DEEPGRAM_API_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    clean_env.setenv("DEEPGRAM_API_KEY", "not-the-emulators-key")
    assert main(["projects", "--api-url", fake.url, "--api-key", fake.api_key]) == 0
    assert fake.project_id in capsys.readouterr().out
    assert fake.last_request.headers["Authorization"] == f"Token {fake.api_key}"


# -- small pieces ---------------------------------------------------------------------------------


def test_options_parse_booleans_and_repeat_into_lists():
    pairs = [option_pair(text) for text in ("smart_format=true", "punctuate=FALSE", "model=nova-3",
                                            "keywords=fox:2", "keywords=dog", "search=a=b")]
    assert options_dict(pairs) == {"smart_format": True, "punctuate": False, "model": "nova-3",
                                   "keywords": ["fox:2", "dog"], "search": "a=b"}


def test_the_table_aligns_columns_and_flattens_lists():
    text = table([{"id": "a", "scopes": ["owner", "member"]}, {"id": "bbbb", "n": 1.5}],
                 [("id", "ID"), ("scopes", "SCOPES"), ("n", "N")])
    assert text.splitlines() == ["ID    SCOPES         N", "a     owner, member", "bbbb                 1.5"]


def test_the_progress_line_on_a_terminal_counts_bytes_and_estimates():
    now = [100.0]
    stream = io.StringIO()
    progress = Progress(4, 4000, stream, tty=True, clock=lambda: now[0])
    now[0] += 10
    progress.finished("a.wav", "ok", 1000, 1.0, counts_bytes=True)
    assert stream.getvalue().endswith("\r\x1b[K1/4 inputs  1.0 KB of 4.0 KB  0:10 elapsed  ETA 0:30")
    progress.finished("b.wav", "FAILED: refused", 1000, 1.0, counts_bytes=True)
    assert "\r\x1b[KFAILED b.wav: refused\n" in stream.getvalue()
    assert stream.getvalue().endswith("2/4 inputs  2.0 KB of 4.0 KB  0:10 elapsed  ETA 0:10")
    progress.close()
    assert stream.getvalue().endswith("\n")
    assert clock_text(3725) == "1:02:05" and clock_text(65) == "1:05"


def test_the_progress_lines_off_a_terminal_are_one_per_input():
    stream = io.StringIO()
    progress = Progress(3, 0, stream, tty=False)
    progress.finished("a.wav", "ok", 1_234_000, 0.84, counts_bytes=True)
    progress.finished("b.wav", "FAILED: boom")
    progress.finished("c.wav", "skipped: already transcribed")
    assert stream.getvalue().splitlines() == [
        "[1/3] ok a.wav (1.2 MB, 0.8 s)", "[2/3] FAILED b.wav: boom", "[3/3] skipped c.wav: already transcribed"]


# -- transcribe -----------------------------------------------------------------------------------


def test_transcribe_writes_every_format_under_out_keeping_the_layout(capsys, env, tmp_path):
    source = tmp_path / "in"
    first = source / "a" / "call.wav"
    first.parent.mkdir(parents=True)
    shutil.copy(sample_path(), first)
    write_wav(source / "b" / "call.wav", seed=1)
    (source / "b" / "notes.txt").write_text("not audio")
    out = tmp_path / "out"
    assert main(["transcribe", str(source), "--out", str(out), "--format", "json,txt", "--format", "srt",
                 "--format", "vtt", "--option", "smart_format=true", "--option", "keywords=fox",
                 "--option", "keywords=dog"]) == 0
    captured = capsys.readouterr()
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert names == ["a", "a/call.json", "a/call.srt", "a/call.txt", "a/call.vtt",
                     "b", "b/call.json", "b/call.srt", "b/call.txt", "b/call.vtt"]
    result = json.loads((out / "a" / "call.json").read_text(encoding="utf-8"))
    assert result["results"]["utterances"]  # captions asked for: utterances=true was sent
    assert (out / "a" / "call.txt").read_text(encoding="utf-8").startswith("The quick brown fox")
    srt = (out / "a" / "call.srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,020 --> ") and "The quick brown" in srt
    assert (out / "a" / "call.vtt").read_text(encoding="utf-8").startswith("WEBVTT\n\n1\n00:00:00.020 --> ")
    posts = listen_posts(env)
    assert len(posts) == 2
    for post in posts:
        assert post.params["smart_format"] == ["true"] and post.params["utterances"] == ["true"]
        assert post.params["keywords"] == ["fox", "dog"]
    assert "Transcribed 2, skipped 0 (already transcribed), failed 0" in captured.out
    # Not a terminal: one plain line per input, with its size and time.
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(("[1/2] ok ", "[2/2] ok ")) for line in lines)
    assert any(line.startswith("[") and "call.wav (192.8 KB, " in line for line in lines)


def test_transcribe_leaves_utterances_alone_when_the_user_set_it(env, tmp_path):
    audio = write_wav(tmp_path / "a.wav")
    assert main(["transcribe", str(audio), "--format", "txt", "--option", "utterances=false"]) == 0
    assert listen_posts(env)[-1].params["utterances"] == ["false"]
    assert main(["transcribe", str(audio), "--format", "json"]) == 0
    assert "utterances" not in listen_posts(env)[-1].params  # json alone: nothing added
    assert (tmp_path / "a.txt").is_file() and (tmp_path / "a.json").is_file()


def test_transcribe_writes_next_to_the_inputs_and_never_lets_two_collide(capsys, env, tmp_path):
    write_wav(tmp_path / "call.wav", seed=1)
    write_wav(tmp_path / "call.mp3", seed=2)  # a WAV named .mp3: the emulator sniffs the content
    assert main(["transcribe", str(tmp_path / "call.wav"), str(tmp_path / "call.mp3")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["call.json", "call.mp3", "call.mp3.json", "call.wav"]


def test_transcribe_expands_globs_walks_folders_and_takes_each_input_once(capsys, env, tmp_path, monkeypatch):
    for i, rel in enumerate(("x/one.wav", "x/deep/two.wav", "y/three.wav", "y/skip.txt")):
        write_wav(tmp_path / rel, seed=i) if rel.endswith(".wav") else (tmp_path / rel).write_text("x")
    monkeypatch.chdir(tmp_path)
    # the folder, a glob over it (quoted: the command expands it), and one file named twice
    assert main(["transcribe", "x", "y/**/*.wav", "./x/one.wav", "x/../x/one.wav", "--out", "out"]) == 0
    assert len(listen_posts(env)) == 3
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.json")) == [
        "x/deep/two.json", "x/one.json", "y/three.json"]
    assert "Transcribed 3, skipped 0" in capsys.readouterr().out


def test_transcribe_urls_are_named_from_their_last_segment_made_unique(capsys, env, tmp_path):
    url = env.sample_url("fox.wav")
    write_wav(tmp_path / "in" / "fox.wav")
    out = tmp_path / "out"
    assert main(["transcribe", url, str(tmp_path / "in" / "fox.wav"), url + "?again=1", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    # the first URL is fox, the file beside it fox.wav, and the second URL fox-<hash of the URL>
    assert names[1:] == ["fox.json", "fox.wav.json"] and len(names) == 3
    assert names[0].startswith("fox-") and len(names[0]) == len("fox-12345678.json")
    posts = listen_posts(env)
    assert sorted(p.json["url"] for p in posts if p.json) == [url, url + "?again=1"]


def test_a_failing_input_is_reported_and_the_others_still_done(capsys, env, tmp_path):
    good = write_wav(tmp_path / "good.wav", seed=1)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"this is not audio at all")
    (tmp_path / "empty").mkdir()
    assert main(["transcribe", str(good), str(bad), str(tmp_path / "missing.wav"), str(tmp_path / "empty"),
                 "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "Transcribed 1, skipped 0 (already transcribed), failed 3" in captured.out
    assert f"  {tmp_path / 'empty'}: no audio or video file in this folder" in captured.out
    assert f"  {bad}: Request `" in captured.out and "corrupt or unsupported data" in captured.out
    assert f"  {tmp_path / 'missing.wav'}: no such file or folder" in captured.out
    assert f"FAILED {bad}: " in captured.err
    assert (tmp_path / "out" / "good.json").is_file() and not (tmp_path / "out" / "bad.json").exists()
    assert not list((tmp_path / "out").glob(".*.part"))


def test_a_scripted_api_error_fails_that_input_only(capsys, env, tmp_path):
    paths = [write_wav(tmp_path / f"f{i}.wav", seed=i) for i in range(3)]
    env.script("POST", "/listen", status=400, json={"err_code": "Bad Request", "err_msg": "scripted refusal"})
    assert main(["transcribe", *map(str, paths), "--concurrency", "1", "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["transcribed"] == 2 and len(summary["failed"]) == 1
    assert "scripted refusal" in summary["failed"][0]["error"] and summary["failed"][0]["input"] == str(paths[0])
    assert main(["transcribe", *map(str, paths)]) == 0  # again: only the failed one is sent
    assert len(listen_posts(env)) == 4 and listen_posts(env)[-1].body == paths[0].read_bytes()


def test_transcribe_resumes_and_remakes_formats_from_the_saved_json(capsys, env, tmp_path):
    audio = write_wav(tmp_path / "a.wav")
    assert main(["transcribe", str(audio), "--format", "json,srt"]) == 0
    assert len(listen_posts(env)) == 1
    capsys.readouterr()
    assert main(["transcribe", str(audio), "--format", "json,srt"]) == 0
    assert "skipped 1 (already transcribed)" in capsys.readouterr().out
    (tmp_path / "a.srt").unlink()
    assert main(["transcribe", str(audio), "--format", "srt,vtt,txt"]) == 0
    captured = capsys.readouterr()
    assert len(listen_posts(env)) == 1  # no new request: made from a.json
    assert "made srt, vtt, txt from the saved JSON" in captured.err
    assert (tmp_path / "a.srt").read_text(encoding="utf-8").startswith("1\n")
    assert (tmp_path / "a.vtt").read_text(encoding="utf-8").startswith("WEBVTT")


@pytest.mark.parametrize("there", ["", '{"name": "my own settings"}', "not JSON"])
def test_a_json_file_that_is_not_a_transcript_is_neither_taken_as_done_nor_overwritten(capsys, env, tmp_path, there):
    audio = write_wav(tmp_path / "a.wav")
    (tmp_path / "a.json").write_text(there, encoding="utf-8")
    assert main(["transcribe", str(audio), str(write_wav(tmp_path / "b.wav"))]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'a.json'} exists but is not a transcript" in captured.out + captured.err
    assert "--out" in captured.out + captured.err and len(listen_posts(env)) == 1  # b.wav only
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == there
    assert main(["transcribe", str(audio), "--out", str(tmp_path / "out")]) == 0
    assert json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))["results"]


def test_a_json_of_a_callback_answer_counts_as_done(capsys, env, tmp_path):
    audio = write_wav(tmp_path / "a.wav")
    (tmp_path / "a.json").write_text('{"request_id": "sent-with-callback"}', encoding="utf-8")
    assert main(["transcribe", str(audio)]) == 0
    assert "skipped 1 (already transcribed)" in capsys.readouterr().out and listen_posts(env) == []


def test_captions_from_a_json_without_utterances_say_so_without_a_warning(capsys, env, tmp_path):
    audio = write_wav(tmp_path / "a.wav")
    assert main(["transcribe", str(audio)]) == 0  # json only: no utterances asked for
    assert main(["transcribe", str(audio), "--format", "srt"]) == 0
    assert "srt made without utterances" in capsys.readouterr().err
    assert (tmp_path / "a.srt").read_text(encoding="utf-8").startswith("1\n00:00:")


# -- stream ---------------------------------------------------------------------------------------


def test_stream_prints_final_results_of_a_wav_file(capsys, env):
    assert main(["stream", str(sample_path()), "--speed", "0"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"[  0.00s] {FOX_FIRST}", "[  3.03s] deepgram turns speech into text"]
    assert "closed with code 1000" in captured.err
    query = dict(env.live_sessions[-1].query)
    assert query["encoding"] == "linear16" and query["sample_rate"] == "16000"


def test_stream_interim_results_are_marked(capsys, env):
    assert main(["stream", str(sample_path()), "--speed", "0", "--interim", "--option", "punctuate=true"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "~[  0.00s] The quick" in lines and "[  0.00s] The quick brown fox jumps over the lazy dog." in lines
    assert dict(env.live_sessions[-1].query)["interim_results"] == "true"


def test_stream_prints_caption_cues(capsys, env):
    assert main(["stream", str(sample_path()), "--speed", "0", "--captions", "vtt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("WEBVTT\n\n1\n00:00:00.020 --> 00:00:02.688\n- the quick brown fox")
    assert "\n3\n00:00:03.440 --> " in out


def test_stream_json_prints_every_message_as_a_line(capsys, env):
    assert main(["stream", str(sample_path()), "--speed", "0", "--json"]) == 0
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [m["type"] for m in messages][-1] == "Metadata"
    finals = [m["channel"]["alternatives"][0]["transcript"] for m in messages if m["type"] == "Results"
              and m["is_final"] and m["channel"]["alternatives"][0]["transcript"]]
    assert finals == [FOX_FIRST, "deepgram turns speech into text"]


def test_stream_a_raw_file_with_its_format_in_options(capsys, env, tmp_path):
    with wave.open(str(sample_path()), "rb") as reader:
        raw = reader.readframes(reader.getnframes())
    path = tmp_path / "fox.raw"
    path.write_bytes(raw)
    assert main(["stream", str(path), "--speed", "0", "--option", "encoding=linear16",
                 "--option", "sample_rate=16000"]) == 0
    assert f"[  0.00s] {FOX_FIRST}" in capsys.readouterr().out
    assert main(["stream", str(path), "--speed", "0", "--option", "encoding=opus"]) == 2
    assert "Unknown raw audio encoding 'opus'" in capsys.readouterr().err


def test_stream_standard_input_as_it_comes(capsys, env, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(sample_path().read_bytes())))
    assert main(["stream", "-"]) == 0
    assert f"[  0.00s] {FOX_FIRST}" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["stream", "-"]) == 1
    assert "standard input held no audio" in capsys.readouterr().err


def test_stream_reconnects_only_audio_it_can_replay():
    wav = sample_path().read_bytes()[:4096]
    assert _cli_stream._reconnects_for_stdin({}, wav) == 3
    assert _cli_stream._reconnects_for_stdin({}, b"ID3\x04 an mp3 stream") == 0
    assert _cli_stream._reconnects_for_stdin({"encoding": "opus"}, b"OggS") == 0
    assert _cli_stream._reconnects_for_stdin({"encoding": "mulaw", "sample_rate": "8000"}, b"\xff" * 64) == 3


def test_stream_survives_a_dropped_connection(capsys, env):
    env.live_fault("close", after_seconds=2.0, code=1011)
    assert main(["stream", str(sample_path()), "--speed", "0"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"[  0.00s] {FOX_FIRST}", "[  3.03s] deepgram turns speech into text"]
    assert "connection lost (code 1011); reconnecting" in captured.err
    assert len(env.live_sessions) == 2


def test_stream_without_a_file_needs_the_mic_extra(capsys, env, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # as if it were not installed
    assert main(["stream"]) == 2
    err = capsys.readouterr().err
    assert 'the "mic" extra' in err and "deepgram-v0[mic]" in err and "Traceback" not in err


def test_stream_a_file_that_is_not_there_or_not_wav(capsys, env, tmp_path):
    assert main(["stream", str(tmp_path / "nope.wav")]) == 2
    assert "no such file" in capsys.readouterr().err
    mp3 = tmp_path / "a.mp3"
    mp3.write_bytes(b"ID3\x04\x00" + bytes(100))
    assert main(["stream", str(mp3)]) == 2
    assert "MP3" in capsys.readouterr().err


def test_stream_ctrl_c_finishes_the_stream_gracefully(env, tmp_path):
    import signal
    import time

    process_env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    process_env.update(DEEPGRAM_API_URL=env.url, DEEPGRAM_API_KEY=env.api_key)
    out_path = tmp_path / "out.txt"
    with open(out_path, "w") as out:
        process = subprocess.Popen([sys.executable, "-W", "error", "-m", "deepgram", "stream", str(sample_path()),
                                    "--speed", "2"], stdout=out, stderr=subprocess.PIPE, text=True, env=process_env)
    try:
        deadline = time.monotonic() + 60
        while FOX_FIRST not in out_path.read_text():  # the first sentence's final result
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()  # reaps it and closes its pipes, so a failure does not also leak them
    assert process.returncode == 130, err
    assert "stopping: finishing the stream" in err and "closed with code 1000" in err
    assert out_path.read_text().splitlines()[0] == f"[  0.00s] {FOX_FIRST}"
    assert env.live_sessions[-1].messages[-1] == {"type": "CloseStream"}  # finish(), not a dropped socket


# -- speak ----------------------------------------------------------------------------------------


def test_speak_writes_the_audio_file_and_says_what_it_wrote(capsys, env, tmp_path):
    out = tmp_path / "hello.wav"
    assert main(["speak", "Hello there", "--out", str(out), "--model", "aura-2-thalia-en"]) == 0
    line = capsys.readouterr().out.strip()
    size = out.stat().st_size
    assert out.read_bytes()[:4] == b"RIFF" and size > 1000
    request = env.last_request
    assert request.params["model"] == ["aura-2-thalia-en"] and request.params["encoding"] == ["linear16"]
    assert line == f"{out}: {size / 1000:.1f} KB of audio/wav, request id {request.request_id}"
    assert [p.name for p in tmp_path.iterdir()] == ["hello.wav"]  # no temporary file left


def test_speak_reads_standard_input_and_writes_standard_output(capsys, env, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Spoken from a pipe."))
    stdout = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["speak", "-", "--out", "-", "--option", "encoding=mp3"]) == 0
    stdout.flush()
    audio = stdout.buffer.getvalue()
    assert env.last_request.json == {"text": "Spoken from a pipe."} and len(audio) > 100
    assert f"standard output: {len(audio) / 1000:.1f} KB of audio/mpeg" in capsys.readouterr().err


def test_speak_json_and_a_failure_leaves_no_file(capsys, env, tmp_path):
    out = tmp_path / "speech.mp3"
    assert main(["speak", "Hi", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["bytes"] == out.stat().st_size and summary["content_type"] == "audio/mpeg"
    env.script("POST", "/speak", status=400, json={"err_msg": "no voice"})
    again = tmp_path / "again.mp3"
    assert main(["speak", "Hi", "--out", str(again)]) == 1
    assert "no voice" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["speech.mp3"]


# -- management -----------------------------------------------------------------------------------


def test_projects_keys_members_balances_as_tables(capsys, env):
    assert main(["projects"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["PROJECT", "ID", "NAME", "COMPANY"] and env.project_id in out[1]
    assert main(["keys"]) == 0  # the one project is found by itself
    out = capsys.readouterr().out
    assert "KEY ID" in out and "emulator key" in out and "owner@example.com" in out
    assert env.api_key not in out
    assert main(["members", env.project_id]) == 0
    out = capsys.readouterr().out
    assert "owner@example.com" in out and "Ada Lovelace" in out
    assert main(["balances"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["BALANCE", "ID", "AMOUNT", "UNITS", "PURCHASE", "ORDER"] and "200" in out[1]


def test_usage_with_dates_and_json(capsys, env):
    assert main(["usage", "--start", "2026-01-01", "--end", "2026-01-31", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert "results" in answer
    assert env.last_request.params == {"start": ["2026-01-01"], "end": ["2026-01-31"]}
    assert main(["usage"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:3] == ["START", "END", "HOURS"]


def test_a_project_id_is_needed_when_the_key_sees_several(capsys, env):
    two = {"projects": [{"project_id": "p-1", "name": "One"}, {"project_id": "p-2", "name": "Two"}]}
    env.script("GET", "/projects", json=two)
    assert main(["keys"]) == 2
    err = capsys.readouterr().err
    assert "reaches 2 projects" in err and "p-1" in err and "Two" in err


# -- emulator -------------------------------------------------------------------------------------


def test_the_emulator_command_serves_until_interrupted(capsys, clean_env):
    import signal

    process = subprocess.Popen([sys.executable, "-m", "deepgram", "emulator", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("Deepgram emulator on http://127.0.0.1:")
        url = first.split()[3]
        lines = [process.stdout.readline() for _ in range(5)]
        assert f"export DEEPGRAM_API_URL={url} DEEPGRAM_API_KEY=emulator-key-" in "".join(lines)
        clean_env.setenv("DEEPGRAM_API_URL", url)
        clean_env.setenv("DEEPGRAM_API_KEY", "emulator-key-0123456789abcdef")
        assert main(["projects"]) == 0
        assert "Emulated Project" in capsys.readouterr().out
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "emulator stopped" in out


def test_the_emulator_command_can_post_each_callback_twice(clean_env):
    import http.server
    import threading

    import requests

    posts, arrived = [], threading.Condition()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with arrived:
                posts.append(json.loads(body)["metadata"]["request_id"])
                arrived.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    process = subprocess.Popen([sys.executable, "-m", "deepgram", "emulator", "--port", "0", "--duplicate-callbacks"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().split()[3]
        callback = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        answer = requests.post(f"{url}/listen", params={"callback": callback}, data=sample_path().read_bytes(),
                               headers={"Authorization": "Token emulator-key-0123456789abcdef",
                                        "Content-Type": "audio/wav"}, timeout=10).json()
        with arrived:
            assert arrived.wait_for(lambda: len(posts) >= 2, 10)
        assert posts == [answer["request_id"]] * 2
    finally:
        process.kill()
        process.communicate()
        receiver.shutdown()
        receiver.server_close()


# -- doctor ---------------------------------------------------------------------------------------


@pytest.fixture
def no_sdk(monkeypatch):
    monkeypatch.setattr(_cli_doctor, "sdk_distributions", lambda: [])


def test_doctor_all_is_well_with_the_emulator(capsys, env, no_sdk):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "an API key from the DEEPGRAM_API_KEY environment variable: emul…" in out
    assert env.api_key not in out
    assert f"{env.url} (from the DEEPGRAM_API_URL environment variable)" in out
    assert "it is the local Deepgram emulator" in out and "1 project(s) visible" in out
    assert "Python " in out and "deepgram-v0 " in out and "aiohttp " in out and "websockets " in out
    assert "deepgram-sdk (Deepgram's official SDK) is not installed" in out
    assert out.rstrip().endswith("All is well.")


def test_doctor_explains_a_missing_key(capsys, clean_env, fake, no_sdk):
    assert main(["doctor", "--api-url", fake.url]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM credential: No API key found" in out and "deepgram emulator" in out
    assert "(from the --api-url option)" in out and "401 without a key, as expected" in out


def test_doctor_explains_an_unreachable_url_and_a_bad_key(capsys, clean_env, fake, no_sdk):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    clean_env.setenv("DEEPGRAM_API_KEY", fake.api_key)
    assert main(["doctor", "--api-url", f"http://127.0.0.1:{port}/v1"]) == 1
    out = capsys.readouterr().out
    assert f"PROBLEM connection: http://127.0.0.1:{port}/v1 does not answer: the connection was refused" in out
    assert main(["doctor", "--api-url", fake.url, "--api-key", "wrong-key"]) == 1
    out = capsys.readouterr().out
    assert "credential: an API key from the --api-key option" in out
    assert "refuses the credential (401: invalid credentials)" in out


def test_doctor_explains_a_name_that_cannot_be_looked_up_and_tls_to_a_plain_server(capsys, clean_env, fake, no_sdk,
                                                                                    monkeypatch):
    looked_up = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == "api.deepgram.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return looked_up(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    clean_env.setenv("DEEPGRAM_API_KEY", fake.api_key)
    assert main(["doctor", "--api-url", "https://api.deepgram.example/v1"]) == 1
    out = capsys.readouterr().out
    assert "does not answer: the name api.deepgram.example cannot be looked up (no network or DNS here" in out
    assert main(["doctor", "--api-url", fake.url.replace("http://", "https://")]) == 1
    out = capsys.readouterr().out
    assert "the secure (TLS) connection to 127.0.0.1 failed: an https:// URL for a plain http server" in out
    assert "Max retries" not in out and "HTTPSConnection" not in out


def test_doctor_explains_a_server_that_never_answers(capsys, env, no_sdk, monkeypatch):
    monkeypatch.setattr(_cli_doctor, "PROBE_TIMEOUT", (2.0, 0.2))
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)  # accepts connections in the kernel, never answers
        url = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
        assert main(["doctor", "--api-url", url]) == 1
    assert "sent no answer within 0.2 s (timed out)" in capsys.readouterr().out


def test_doctor_explains_the_official_sdk_installed_too(capsys, env, monkeypatch):
    monkeypatch.setattr(_cli_doctor, "sdk_distributions",
                        lambda: [_cli_doctor.SdkDistribution("3.4.0", "/somewhere/site-packages")])
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    problem = next(f for f in report["findings"] if f["level"] == "problem")
    assert "deepgram-sdk 3.4.0 (Deepgram's official SDK) is installed too" in problem["text"]
    assert "both install the `deepgram` package" in problem["text"]
    assert "pip uninstall -y deepgram-sdk deepgram-v0 && pip install deepgram-v0" in problem["text"]


def test_doctor_reports_files_the_official_sdk_left_without_its_record(capsys, env, no_sdk, monkeypatch, tmp_path):
    (tmp_path / "client.py").write_text("# deepgram-sdk 3.x\n")
    monkeypatch.setattr(_cli_doctor, "_package_dir", lambda: str(tmp_path))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM installation: files of Deepgram's official SDK" in out and str(tmp_path) in out
    assert "All is well" not in out and out.rstrip().endswith("1 problem(s) found.")


def test_doctor_finds_a_co_installed_sdk_by_its_metadata(env, tmp_path):
    info = tmp_path / "site" / "deepgram_sdk-3.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: deepgram-sdk\nVersion: 3.0.0\n")
    process_env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    process_env.update(PYTHONPATH=str(tmp_path / "site"), DEEPGRAM_API_URL=env.url, DEEPGRAM_API_KEY=env.api_key)
    done = subprocess.run([sys.executable, "-m", "deepgram", "doctor"], capture_output=True, text=True,
                          env=process_env, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PROBLEM installation: deepgram-sdk 3.0.0 (Deepgram's official SDK) is installed too" in done.stdout
    assert "pip uninstall -y deepgram-sdk deepgram-v0 && pip install deepgram-v0" in done.stdout
