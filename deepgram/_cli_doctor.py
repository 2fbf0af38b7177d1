"""``deepgram doctor``: the credential, the API URL, whether it answers, versions, and install conflicts."""

from __future__ import annotations

import argparse
import os
import platform
import socket
import sys
from typing import Any, List, NamedTuple, Optional, Tuple
from urllib.parse import urlsplit

from ._cli_common import EXIT_FAILED, EXIT_OK, HelpFormatter, find_api_url, find_credential, print_json
from ._install import FIX as FIX_INSTALL
from ._install import THEIR_MARKER

__all__ = ["add_parser", "sdk_distributions"]

PROBE_TIMEOUT = (3.0, 5.0)  # connect, read: a doctor answers in seconds, whatever the server does


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``doctor`` on the subcommand set."""
    parser = commands.add_parser(
        "doctor", parents=[common], help="check the key, the API URL, versions and the installation",
        formatter_class=HelpFormatter,
        description="Say, in plain words, which credential and API URL the command would use and where they come "
                    "from, whether that URL answers (and whether it is the local emulator), the versions of "
                    "Python and the libraries, and whether Deepgram's official SDK (deepgram-sdk) is installed "
                    "too. Exit status 0 when all is well, 1 when a problem was found.",
        epilog="example:\n  deepgram doctor --api-url http://127.0.0.1:8080/v1")
    parser.set_defaults(run=run)


class Finding(NamedTuple):
    """One line of the report: ``ok``, ``note`` or ``problem``."""

    level: str
    topic: str
    text: str


class SdkDistribution(NamedTuple):
    """An installed ``deepgram-sdk`` distribution: its version and the folder it is installed in."""

    version: str
    location: str


def sdk_distributions() -> List[SdkDistribution]:
    """Every ``deepgram-sdk`` distribution Python can see (looked up by name, across ``sys.path``)."""
    import importlib.metadata as metadata

    found = []
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name == "deepgram-sdk":
            found.append(SdkDistribution(dist.version, str(dist.locate_file(""))))
    return found


def _version(distribution: str) -> Optional[str]:
    import importlib.metadata as metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _mask(secret: str) -> str:
    return secret[:4] + "…" + f" ({len(secret)} characters)" if len(secret) > 8 else "****"


def _credential(args: argparse.Namespace) -> Finding:
    found = find_credential(args)
    if found.value is None:
        return Finding("problem", "credential",
                       "No API key found: neither --api-key, DEEPGRAM_API_KEY nor DEEPGRAM_ACCESS_TOKEN is set. "
                       "Set one (export DEEPGRAM_API_KEY=KEY), or run `deepgram emulator` and use the URL and "
                       "key it prints.")
    kind = "an access token (sent as Bearer)" if "TOKEN" in found.source else "an API key"
    return Finding("ok", "credential", f"{kind} from {found.source}: {_mask(found.value.strip())}")


def _api_url(args: argparse.Namespace) -> Tuple[Finding, Optional[str]]:
    from ._config import normalize_api_url
    from ._constants import DEFAULT_ENDPOINT
    from .errors import DeepgramSetupError

    found = find_api_url(args)
    value = found.value
    if value is not None and "://" not in value:  # DEEPGRAM_HOST may name a host alone
        value = ("http://" if value.startswith(("localhost", "127.")) else "https://") + value
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a fixed-up slip is reported below instead
            url = normalize_api_url(value) if value else DEFAULT_ENDPOINT
    except DeepgramSetupError as exc:
        return Finding("problem", "api url", f"{found.value!r} from {found.source} is not usable: {exc}"), None
    return Finding("ok", "api url", f"{url} (from {found.source})"), url


def _unreachable(exc: BaseException, url: str) -> str:
    """Why a connection failed, in plain words (requests and urllib3 wrap the cause in two layers of text)."""
    import requests

    from ._sync import _chain  # the transport's walk through requests' and urllib3's wrapping

    host = urlsplit(url).hostname or url
    if isinstance(exc, requests.exceptions.ProxyError):
        return "the proxy (HTTPS_PROXY / HTTP_PROXY) did not let the request through"
    if isinstance(exc, requests.exceptions.SSLError):
        return (f"the secure (TLS) connection to {host} failed: an https:// URL for a plain http server (the "
                "emulator is http://), or a certificate this machine does not trust (REQUESTS_CA_BUNDLE)")
    causes = list(_chain(exc))
    if any(isinstance(cause, socket.gaierror) or type(cause).__name__ == "NameResolutionError" for cause in causes):
        return f"the name {host} cannot be looked up (no network or DNS here, or a mistyped host name)"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in str(exc).lower():
        return "the connection was refused: nothing listens there"
    errors = [cause for cause in causes if isinstance(cause, OSError) and cause.strerror]
    return f"the network failed ({str(errors[-1].strerror).lower()})" if errors else "the network failed"


def _probe(url: str, credential: Optional[str], scheme: str) -> Tuple[Finding, Optional[Finding]]:
    """GET the projects list: does the URL answer, does it take the key, is it the emulator?"""
    import requests

    headers = {"Authorization": f"{scheme} {credential.strip()}"} if credential else {}
    try:
        answer = requests.get(url + "/projects", headers=headers, timeout=PROBE_TIMEOUT)
    except requests.exceptions.ConnectTimeout:
        return Finding("problem", "connection", f"{url} did not answer within {PROBE_TIMEOUT[0]:g} s (timed out): "
                       "check the address, a firewall or a proxy (HTTPS_PROXY)."), None
    except requests.exceptions.Timeout:
        return Finding("problem", "connection", f"{url} accepted the connection but sent no answer within "
                       f"{PROBE_TIMEOUT[1]:g} s (timed out)."), None
    except requests.exceptions.ConnectionError as exc:
        return Finding("problem", "connection", f"{url} does not answer: {_unreachable(exc, url)}. Check the URL, "
                       "or start the emulator with `deepgram emulator` if that is what it should be."), None
    except requests.exceptions.RequestException as exc:
        return Finding("problem", "connection", f"{url} could not be asked: {exc}"), None
    emulator = _is_emulator(url)
    where = f"{url} answers" + (" (it is the local Deepgram emulator)" if emulator else "")
    if answer.status_code == 401:
        text = f"{where}, but refuses the credential (401: invalid credentials)." if credential else \
            f"{where} (401 without a key, as expected)."
        return Finding("problem" if credential else "ok", "connection", text), None
    if answer.status_code >= 400:
        return Finding("problem", "connection", f"{where}, but the projects list gave HTTP {answer.status_code}: "
                       f"{' '.join(answer.text.split())[:200]}"), None
    try:
        count = len(answer.json().get("projects") or [])
    except ValueError:
        return Finding("problem", "connection", f"{url} answered, but not with Deepgram's JSON: is it the "
                       "API's base URL (ending in /v1)?"), None
    extra = None if emulator or url.startswith("https://api.deepgram.com") else \
        Finding("note", "connection", "this is not Deepgram's hosted API (https://api.deepgram.com/v1): "
                "a self-hosted deployment or a proxy, it seems.")
    return Finding("ok", "connection", f"{where} and takes the credential: {count} project(s) visible."), extra


def _is_emulator(url: str) -> bool:
    """The emulator serves its bundled samples beside the API, without a key; Deepgram does not."""
    from urllib.parse import urlsplit, urlunsplit

    import requests

    parts = urlsplit(url)
    try:
        answer = requests.head(urlunsplit((parts.scheme, parts.netloc, "/samples/fox.wav", "", "")),
                               timeout=PROBE_TIMEOUT)
    except requests.exceptions.RequestException:
        return False
    return answer.status_code == 200 and answer.headers.get("Content-Type", "").startswith("audio/")


def _versions() -> Finding:
    from ._version import __version__

    parts = [f"Python {platform.python_version()}", f"deepgram-v0 {_version('deepgram-v0') or __version__}"]
    parts.extend(f"{name} {_version(name) or 'not installed'}" for name in ("aiohttp", "requests", "websockets"))
    return Finding("ok", "versions", ", ".join(parts))


def _installs() -> List[Finding]:
    findings = []
    for dist in sdk_distributions():
        major = dist.version.split(".", 1)[0]
        who = "Deepgram's official SDK" if major.isdigit() and int(major) >= 3 else "the old name of this package"
        findings.append(Finding(
            "problem", "installation",
            f"deepgram-sdk {dist.version} ({who}) is installed too, in {dist.location}. deepgram-sdk and "
            "deepgram-v0 both install the `deepgram` package, and pip does not know they conflict: their files "
            "end up mixed in one folder, and uninstalling one deletes files the other needs. Keep one. For "
            f"deepgram-v0: {FIX_INSTALL}"))
    if not findings:
        findings.append(_leftovers() or Finding(
            "ok", "installation", "deepgram-sdk (Deepgram's official SDK) is not installed: no conflict over the "
            "`deepgram` package."))
    return findings


def _package_dir() -> str:
    """The folder of the ``deepgram`` package that is running."""
    return os.path.dirname(os.path.abspath(__file__))


def _leftovers() -> Optional[Finding]:
    """Files that deepgram-sdk 3+ left in our folder without its install record (``import
    deepgram`` warns of them; the doctor must not then say all is well)."""
    folder = _package_dir()
    if not os.path.exists(os.path.join(folder, THEIR_MARKER)):
        return None
    return Finding(
        "problem", "installation",
        f"files of Deepgram's official SDK (deepgram-sdk 3 or later: {THEIR_MARKER}, ...) lie in deepgram-v0's "
        f"`deepgram` folder ({folder}) without its install record. deepgram-v0 works, but the folder mixes "
        f"both packages' files. To fix it: {FIX_INSTALL}")


def run(args: argparse.Namespace) -> int:
    """Check and report; 0 when all is well, 1 when a problem was found."""
    findings = [_credential(args)]
    url_finding, url = _api_url(args)
    findings.append(url_finding)
    if url is not None:
        credential = find_credential(args)
        scheme = "Bearer" if "TOKEN" in credential.source else "Token"
        probe, extra = _probe(url, credential.value, scheme)
        findings.append(probe)
        if extra is not None:
            findings.append(extra)
    findings.append(_versions())
    findings.extend(_installs())
    problems = [finding for finding in findings if finding.level == "problem"]
    if args.json:
        print_json({"ok": not problems, "findings": [finding._asdict() for finding in findings]})
    else:
        for finding in findings:
            mark = {"ok": "ok     ", "note": "note   ", "problem": "PROBLEM"}[finding.level]
            print(f"{mark} {finding.topic}: {finding.text}")
        print(f"\n{len(problems)} problem(s) found." if problems else "\nAll is well.")
    sys.stdout.flush()
    return EXIT_FAILED if problems else EXIT_OK
