"""deepgram-v0 next to Deepgram's official SDK (deepgram-sdk 3+) in one ``deepgram`` directory.

Each test builds a site-packages tree in a temporary directory (a copy of our package, plus the
files a deepgram-sdk wheel would have left there) and imports from it in a fresh interpreter,
with warnings as errors.
"""

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "deepgram"

# What the wheels ship beyond __init__.py (never all of it): 3.x has modules and packages that
# share no name with ours; 7.x has packages that hide our errors.py, speak.py, read.py, auth.py.
SDK_3_FILES = ["client.py", "options.py", "clients/__init__.py", "audio/__init__.py", "utils/__init__.py"]
SDK_7_FILES = ["client.py", "base_client.py", "environment.py", "version.py", "core/__init__.py",
               "errors/__init__.py", "listen/__init__.py", "speak/__init__.py", "read/__init__.py",
               "auth/__init__.py", "manage/__init__.py", "agent/__init__.py", "types/__init__.py"]
FIX = "pip uninstall -y deepgram-sdk deepgram-v0 && pip install deepgram-v0"
THEIR_INIT = '"""Stand-in for the __init__ of deepgram-sdk 3+."""\n\nfrom .client import DeepgramClient\n'


def site_with_ours(tmp_path: Path) -> Path:
    """Return a site-packages directory holding a copy of our ``deepgram`` package."""
    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE, site / "deepgram", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def add_theirs(site: Path, version: str, files: Iterable[str], over_ours: bool) -> None:
    """Lay deepgram-sdk ``version``'s files in ``site``; ``over_ours``: their __init__ replaces ours."""
    for name in files:
        path = site / "deepgram" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("class DeepgramClient:\n    pass\n" if name == "client.py" else "")
    if over_ours:
        (site / "deepgram" / "__init__.py").write_text(THEIR_INIT)
    dist_info = site / f"deepgram_sdk-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: deepgram-sdk\nVersion: {version}\n")


def run_python(site: Path, code: str, warnings: str = "error") -> "subprocess.CompletedProcess[str]":
    """Run ``code`` in a fresh interpreter that imports ``deepgram`` from ``site``."""
    env: Dict[str, str] = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-W", warnings, "-c", code], env=env, cwd=str(site.parent),
                          capture_output=True, text=True, timeout=60)


def test_we_ship_no_client_module_the_sign_of_deepgram_sdk_3() -> None:
    assert not (PACKAGE / "client.py").exists()


def test_a_copy_of_ours_alone_imports_quietly_from_that_copy(tmp_path: Path) -> None:
    site = site_with_ours(tmp_path)
    result = run_python(site, "import deepgram, deepgram.testing; print(deepgram.__file__)")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert Path(result.stdout.strip()).parent == site / "deepgram"


def test_deepgram_sdk_7_under_ours_is_refused_with_the_fix(tmp_path: Path) -> None:
    # Their errors/ package would win over our errors.py: refuse before importing it.
    site = site_with_ours(tmp_path)
    add_theirs(site, "7.17.0", SDK_7_FILES, over_ours=False)
    result = run_python(site, "import deepgram")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: Deepgram's official SDK (deepgram-sdk 7.17.0) is installed")
    assert "auth/, errors/, read/, speak/, types/ hide deepgram-v0's modules" in last_line
    assert last_line.endswith(f"To use deepgram-v0: {FIX}")


def test_deepgram_sdk_3_leftovers_under_ours_warn_once(tmp_path: Path) -> None:
    site = site_with_ours(tmp_path)
    add_theirs(site, "3.10.0", SDK_3_FILES, over_ours=False)
    code = "import deepgram, deepgram.testing, importlib; importlib.import_module('deepgram'); print(deepgram.Deepgram)"
    result = run_python(site, code, warnings="default")
    assert result.returncode == 0, result.stderr
    assert "<class 'deepgram._client.Deepgram'>" in result.stdout
    assert result.stderr.count("DeepgramInstallWarning") == 1
    assert "Deepgram's official SDK (deepgram-sdk 3.10.0) left files" in result.stderr
    assert "`pip uninstall deepgram-sdk` would delete deepgram-v0's files too" in result.stderr
    assert FIX in result.stderr


def test_deepgram_sdk_3_leftovers_under_ours_fail_when_warnings_are_errors(tmp_path: Path) -> None:
    site = site_with_ours(tmp_path)
    add_theirs(site, "3.10.0", SDK_3_FILES, over_ours=False)
    result = run_python(site, "import deepgram")
    assert result.returncode == 1
    assert "deepgram._install.DeepgramInstallWarning: Deepgram's official SDK (deepgram-sdk 3.10.0)" in result.stderr


@pytest.mark.parametrize("version, files", [("7.17.0", SDK_7_FILES), ("3.10.0", SDK_3_FILES)])
def test_deepgram_sdk_over_ours_is_refused_by_deepgram_testing(tmp_path: Path, version: str, files: Iterable[str]) -> None:
    # Their __init__ ran, not ours; deepgram.testing is ours alone and must not run on their package.
    site = site_with_ours(tmp_path)
    add_theirs(site, version, files, over_ours=True)
    assert run_python(site, "import deepgram; deepgram.DeepgramClient").returncode == 0
    result = run_python(site, "import deepgram.testing")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: deepgram.testing is part of deepgram-v0, but the `deepgram` package")
    assert f"is not: Deepgram's official SDK (deepgram-sdk {version}) was installed over deepgram-v0." in last_line
    assert last_line.endswith(f"To use deepgram-v0: {FIX}")


def test_another_package_over_ours_without_metadata_is_refused_too(tmp_path: Path) -> None:
    site = site_with_ours(tmp_path)
    add_theirs(site, "7.17.0", SDK_7_FILES, over_ours=True)
    shutil.rmtree(site / "deepgram_sdk-7.17.0.dist-info")
    result = run_python(site, "import deepgram.testing")
    assert result.returncode == 1
    assert "is not: another distribution (deepgram-sdk 3 or later, most likely) was installed" in result.stderr


def test_setup_names_the_distribution_deepgram_v0() -> None:
    if importlib.util.find_spec("setuptools") is None:
        tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
        names = [kw.value for node in ast.walk(tree) if isinstance(node, ast.Call)
                 for kw in node.keywords if kw.arg == "name"]
        assert [ast.literal_eval(name) for name in names] == ["deepgram-v0"]
        return
    result = subprocess.run([sys.executable, "setup.py", "--name"], cwd=str(ROOT),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "deepgram-v0"
