"""The opt-in pytest plugin, exercised in a separate pytest run on the example suite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(*args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "DEEPGRAM_API_KEY"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=cwd or ROOT / "examples" / "pytest", env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_example_suite_runs_on_the_emulator():
    done = run_pytest()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_plugin_is_not_registered_without_being_asked(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_no_fixture(request):\n"
                                        "    assert 'dg' not in request.fixturenames\n")
    done = run_pytest("--fixtures", cwd=tmp_path)
    assert "deepgram_fake" not in done.stdout


def test_a_suite_that_defines_its_own_api_key_option_can_load_it(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "pytest_plugins = ['deepgram.testing.pytest_plugin']\n"
        "def pytest_addoption(parser):\n"
        "    parser.addoption('--api-key', action='store', default=None)\n")
    (tmp_path / "test_y.py").write_text(
        "def test_fake(deepgram_fake, deepgram_api_key):\n"
        "    assert deepgram_api_key is None and deepgram_fake.url.endswith('/v1')\n")
    done = run_pytest(cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
