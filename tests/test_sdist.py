"""The source distribution carries what its test suite and its README need (see MANIFEST.in)."""

import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Set

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "README.md", "LICENSE", "MANIFEST.in", "setup.py", "pyproject.toml", "requirements.txt",
    "requirements-test.txt", "examples/prerecorded/main.py", "examples/streaming/main.py",
    "examples/pytest/conftest.py", "tests/conftest.py", "deepgram/testing/samples/fox.wav",
}


def build_sdist(into: Path) -> Path:
    """Build the sdist with setuptools, its egg-info and archive in ``into``, not in the repository."""
    command = [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(into),
               "sdist", "--dist-dir", str(into / "dist")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    archives = sorted((into / "dist").glob("*.tar.gz"))
    assert len(archives) == 1, archives
    return archives[0]


def files_under(*folders: str) -> Set[str]:
    """The files of the checkout under ``folders``, bytecode left out."""
    return {path.relative_to(ROOT).as_posix() for folder in folders for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")}


def test_the_sdist_ships_the_examples_the_tests_and_the_readme(tmp_path: Path) -> None:
    with tarfile.open(build_sdist(tmp_path)) as archive:
        top = {name.split("/", 1)[0] for name in archive.getnames()}
        shipped = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert len(top) == 1, top  # everything under one <name>-<version>/ folder
    expected = REQUIRED | files_under("examples", "tests")
    assert not expected - shipped, sorted(expected - shipped)
    assert not [name for name in shipped if "__pycache__" in name or name.endswith((".pyc", ".pyo"))]
