"""DEEPGRAM_LOG turns the SDK's logging on, on standard error, without a line of code."""

import os
import subprocess
import sys

import pytest

PROGRAM = """
from deepgram import Deepgram
from deepgram.testing import FakeDeepgram
import logging
with FakeDeepgram() as fake:
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    dg.sync.projects.list()
    logging.getLogger("deepgram").info("a line with Token %s and http://user:%s@host/x", fake.api_key, "pw")
    print(fake.api_key)
"""


def run(value):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEEPGRAM_")}
    if value is not None:
        env["DEEPGRAM_LOG"] = value
    done = subprocess.run([sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), done.stderr


def test_debug_shows_each_call_and_never_the_key():
    key, err = run("debug")
    assert "GET /projects -> 200" in err
    assert "DEBUG deepgram" in err
    assert key not in err and "Token ***" in err and "user:***@host" in err


def test_info_leaves_the_per_call_lines_out():
    key, err = run("INFO")
    assert "GET /projects" not in err and "INFO deepgram" in err and key not in err


def test_unset_it_stays_quiet():
    _, err = run(None)
    assert "deepgram" not in err


def test_a_wrong_level_warns_and_logs_nothing():
    _, err = run("verbose")
    assert "DEEPGRAM_LOG='verbose' is not a level" in err
    assert "GET /projects" not in err


@pytest.mark.parametrize("text", [
    "Authorization: Token 0123456789abcdef0123456789abcdef01234567",
    "key 0123456789abcdef0123456789abcdef01234567 end",
    "wss://me:secret@api.deepgram.com/v1/listen",
    "bearer eyJhbGciOi.payload.sig",
])
def test_the_formatter_masks_anything_shaped_like_a_credential(text):
    import logging

    from deepgram._logging import RedactingFormatter

    line = RedactingFormatter("%(message)s").format(logging.LogRecord("deepgram", 20, "", 0, text, (), None))
    assert "***" in line
    assert "0123456789abcdef0123456789abcdef01234567" not in line and "secret" not in line
    assert "eyJhbGciOi" not in line
