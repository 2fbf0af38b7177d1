"""The opt-in pytest plugin, exercised in a separate pytest run on the example suite."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(*args, env_extra=None, cwd=None, autoload=False):
    env = {k: v for k, v in os.environ.items() if k != "DEEPGRAM_API_KEY"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if not autoload:  # the plugin is loaded by pytest_plugins; skipping the others saves ~2 s a run
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
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
    done = run_pytest("--fixtures", cwd=tmp_path, autoload=True)  # entry points included
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


PLUGIN = "pytest_plugins = ['deepgram.testing.pytest_plugin']\n"
ON_THE_EMULATOR = (
    "def test_on_the_emulator(dg, deepgram_api_key):\n"
    "    assert deepgram_api_key is None\n"
    "    assert \"api_url='http://127.0.0.1:\" in repr(dg)\n")
ON_THE_REAL_API = (
    "def test_on_the_real_api(dg, deepgram_api_key):\n"
    "    assert deepgram_api_key == 'given-key' and dg.options['api_key'] == 'given-key'\n"
    "    assert \"api_url='https://api.deepgram.com/v1'\" in repr(dg)\n")


def write_suite(path, test, conftest=PLUGIN):
    (path / "conftest.py").write_text(conftest)
    (path / "test_z.py").write_text(test)


def test_a_key_in_the_environment_leaves_dg_on_the_emulator(tmp_path):
    write_suite(tmp_path, ON_THE_EMULATOR)
    done = run_pytest(cwd=tmp_path, env_extra={"DEEPGRAM_API_KEY": "ambient-key"})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("option", [["--api-key", "given-key"], ["--api-key=given-key"],
                                    ["--key", "given-key"], ["-K", "given-key"]])
def test_a_key_on_the_command_line_puts_dg_on_the_real_api(tmp_path, option):
    write_suite(tmp_path, ON_THE_REAL_API)
    done = run_pytest(*option, cwd=tmp_path, env_extra={"DEEPGRAM_API_KEY": "ambient-key"})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("where", ["parser", "parser.getgroup('mine')"])
def test_a_suites_own_api_key_option_is_the_one_read(tmp_path, where):
    conftest = PLUGIN + ("def pytest_addoption(parser):\n"
                         f"    {where}.addoption('--api-key', dest='my_key', default=None)\n")
    write_suite(tmp_path, ON_THE_REAL_API, conftest)
    done = run_pytest("--api-key", "given-key", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_suites_own_key_option_is_not_taken_for_a_deepgram_key(tmp_path):
    conftest = PLUGIN + ("def pytest_addoption(parser):\n"
                         "    parser.addoption('--key', default=None, help='another service')\n")
    write_suite(tmp_path, ON_THE_EMULATOR, conftest)
    done = run_pytest("--key", "not-for-deepgram", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_projects_real_api_tests_are_skipped_despite_a_key_in_the_environment():
    done = run_pytest(str(ROOT / "tests" / "test_real_api.py"), cwd=ROOT,
                      env_extra={"DEEPGRAM_API_KEY": "ambient-key"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b\d+ skipped\b", done.stdout) and "passed" not in done.stdout, done.stdout
