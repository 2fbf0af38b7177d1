"""Every ```python block of README.md runs, against the emulator, as a reader would run it.

Each block gets a fresh emulator and a fresh namespace holding only what the README leaves to
the reader (see ``placeholders``: ``KEY``, ``JWT``, ``URL``, ``project_id``, ``member_id``,
``source``, ``audio_chunks()``, ``microphone()``, and the client a snippet assumes, ``Deepgram``
and ``dg``), so any other missing import fails. The string ``"YOUR_API_KEY"`` becomes the emulator's key;
nothing else in a block is rewritten. ``DEEPGRAM_API_URL`` and ``DEEPGRAM_API_KEY`` point every
client a block makes at the emulator, and the block runs in a temporary directory where each
``*.wav`` it names is a copy of the bundled sample.

What a block defines decides how it runs:

- a conftest (it sets ``pytest_plugins``): pytest runs it in a subprocess, with the README's
  test functions as the test module;
- test functions (``def test_...``): each is called with the fixtures it names;
- anything else runs as a script, in ``asyncio.run`` when it uses top-level ``await``.

Clients left in the namespace are closed afterwards. A block that truly cannot run is marked in
the README, directly before its fence: ``<!-- readme-test: skip (the reason) -->``.
"""

import ast
import asyncio
import inspect
import linecache
import os
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path
from types import CodeType
from typing import Any, Callable, Dict, Iterator, List

import pytest
from _readme import Block, python_blocks

from deepgram import Deepgram
from deepgram.testing import FakeDeepgram, sample_path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCKS = python_blocks(README.read_text(encoding="utf-8"))
ENVIRONMENT = ("DEEPGRAM_API_KEY", "DEEPGRAM_API_URL", "DEEPGRAM_ACCESS_TOKEN", "DEEPGRAM_TOKEN",
               "DEEPGRAM_HOST")
AUDIO_FILE = re.compile(r"^[\w.-]+\.wav$")  # a relative name such as "call.wav"
CHUNK_BYTES = 8000  # a quarter of a second of 16 kHz 16-bit mono


def audio_chunks() -> Iterator[bytes]:
    """The bundled sample as raw linear16 16 kHz mono chunks (what ``live(...)`` is told)."""
    with wave.open(str(sample_path()), "rb") as audio:
        while True:
            frames = audio.readframes(CHUNK_BYTES // audio.getsampwidth())
            if not frames:
                return
            yield frames


def placeholders(fake: FakeDeepgram, dg: Deepgram) -> Dict[str, Any]:
    """The names the README's blocks use without defining them, bound to the emulator."""
    return {
        "__name__": "__main__",  # a block that is a program runs its main guard
        "Deepgram": Deepgram,
        "dg": dg,
        "KEY": fake.api_key,
        "JWT": dg.sync.auth.grant()["access_token"],
        "URL": fake.sample_url(),
        "project_id": fake.project_id,
        "member_id": fake.member_id,
        "source": {"buffer": sample_path().read_bytes(), "mimetype": "audio/wav"},
        "audio_chunks": audio_chunks,
        "microphone": audio_chunks,
    }


def substitute(source: str, fake: FakeDeepgram) -> str:
    """The block with its placeholder strings replaced (``"YOUR_API_KEY"``: the emulator's key)."""
    return re.sub(r"""(["'])YOUR_API_KEY\1""", lambda _: repr(fake.api_key), source)


def compile_block(block: Block, source: str) -> CodeType:
    """Compile, allowing top-level ``await``; a traceback names the block and README's line
    numbers, and shows the block's code (its source is registered with linecache)."""
    padded = "\n" * block.line + source
    filename = f"<README.md, block at line {block.line}>"
    linecache.cache[filename] = (len(padded), None, padded.splitlines(True), filename)
    code: CodeType = compile(padded, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    return code


def run_script(code: CodeType, namespace: Dict[str, Any]) -> None:
    outcome = eval(code, namespace)
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(outcome)


def audio_files_named(tree: ast.Module) -> List[str]:
    return sorted({node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and AUDIO_FILE.match(node.value)})


def call_test(function: Callable[..., Any], fixtures: Dict[str, Any], request: pytest.FixtureRequest) -> None:
    """Call a test function of the README with the fixtures it names."""
    arguments = {name: fixtures[name] if name in fixtures else request.getfixturevalue(name)
                 for name in inspect.signature(function).parameters}
    outcome = function(**arguments)
    if inspect.iscoroutine(outcome):
        asyncio.run(outcome)


def run_as_conftest(block: Block, directory: Path) -> None:
    """Run pytest in a subprocess with the block as conftest.py and the README's test functions
    as the tests, on the emulator (no key in the environment)."""
    tests = [other for other in BLOCKS if other.test_names and not other.is_conftest and other.marker is None]
    count = sum(len(other.test_names) for other in tests)
    assert count, f"README line {block.line}: no test function in the README exercises this conftest"
    (directory / "conftest.py").write_text(block.source, encoding="utf-8")
    (directory / "test_readme_suite.py").write_text("\n\n".join(b.source for b in tests), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name not in ENVIRONMENT}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # Only the plugins the conftest names are loaded (installed ones, Hypothesis' among them,
    # would also take seconds to load).
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{count} passed" in done.stdout, done.stdout


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_readme_block(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      request: pytest.FixtureRequest) -> None:
    reason = block.skip_reason
    if reason is not None:
        pytest.skip(f"README line {block.line}: {reason}")
    if block.is_conftest:
        run_as_conftest(block, tmp_path)
        return
    for name in audio_files_named(block.tree):
        shutil.copyfile(sample_path(), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    with FakeDeepgram() as fake:
        monkeypatch.setenv("DEEPGRAM_API_URL", fake.url)
        monkeypatch.setenv("DEEPGRAM_API_KEY", fake.api_key)
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
        namespace = placeholders(fake, dg)
        try:
            run_script(compile_block(block, substitute(block.source, fake)), namespace)
            fixtures = {"dg": dg, "deepgram_fake": fake, "deepgram_api_key": None}
            for name in block.test_names:
                call_test(namespace[name], fixtures, request)
        finally:
            clients = {id(value): value for value in [dg, *namespace.values()] if isinstance(value, Deepgram)}
            for client in clients.values():
                client.close()


def test_every_python_fence_of_the_readme_is_a_block_under_a_heading() -> None:
    fences = re.findall(r"^\s*```+\s*(?:python3?|py)\s*$", README.read_text(encoding="utf-8"), flags=re.M)
    assert len(BLOCKS) == len(fences) > 0
    assert all(block.heading and block.source.strip() for block in BLOCKS)


MARKDOWN = """# Title

<!-- readme-test: skip (needs a microphone) -->
```python
listen()
```

## Second *part*

- a list item:

  ```py
  if x:
      y = 2
  ```

```sh
# a comment, not a heading
```

<!-- readme-test: skpi (a typo) -->
````python
```
````
"""


def test_blocks_are_found_with_their_line_heading_indentation_and_marker() -> None:
    blocks = python_blocks(MARKDOWN)
    assert [(b.line, b.heading, b.source, b.marker, b.id) for b in blocks] == [
        (4, "Title", "listen()\n", "skip (needs a microphone)", "L4-title"),
        (12, "Second *part*", "if x:\n    y = 2\n", None, "L12-second-part"),
        (22, "Second *part*", "```\n", "skpi (a typo)", "L22-second-part"),
    ]
    assert blocks[0].skip_reason == "needs a microphone" and blocks[1].skip_reason is None
    with pytest.raises(ValueError, match=r"line 22.*skip \(reason\)"):
        _ = blocks[2].skip_reason


def test_a_block_is_told_apart_by_what_it_defines() -> None:
    conftest, tests, script = python_blocks(
        "```python\npytest_plugins = ['p']\n```\n"
        "```python\nimport os\ndef test_a(dg): ...\nasync def test_b(): ...\ndef helper(): ...\n```\n"
        "```python\nx = await f()\n```\n")
    assert (conftest.is_conftest, conftest.test_names) == (True, [])
    assert (tests.is_conftest, tests.test_names) == (False, ["test_a", "test_b"])
    assert (script.is_conftest, script.test_names) == (False, [])
