"""Type-check the programs in typecheck/ with both checkers users run: ``python typecheck/run.py``.

- ``user_program.py`` must be clean under ``mypy --strict`` and pyright (Python 3.8).
- ``negative.py``: every line tagged ``# expect: CODE`` (a mypy error code; ``CODE, OTHER`` when
  either will do) must get an error of that kind from BOTH checkers (pyright's rule names are
  mapped below), and no untagged line may get any error or warning.

Both checkers read the project's pyproject.toml; errors they find inside ``deepgram/`` itself are
left to the package's own checks. Exits 1 on any mismatch, with what each checker said.
"""

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, NamedTuple, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
CLEAN = "typecheck/user_program.py"
NEGATIVE = "typecheck/negative.py"
TAG = re.compile(r"#\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)")

# The pyright rules that report what each mypy code names (pyright words some mistakes more
# generally: a key that a TypedDict lacks, or a value of the wrong type in one).
PYRIGHT_RULES: Dict[str, Set[str]] = {
    "attr-defined": {"reportAttributeAccessIssue"},
    "arg-type": {"reportArgumentType"},
    "index": {"reportIndexIssue"},
    "misc": {"reportGeneralTypeIssues"},  # e.g. awaiting something that is not awaitable
    "typeddict-item": {"reportGeneralTypeIssues", "reportAssignmentType", "reportArgumentType"},
    "typeddict-unknown-key": {"reportGeneralTypeIssues", "reportAssignmentType", "reportArgumentType"},
}


class Finding(NamedTuple):
    checker: str
    file: str  # relative to the repository, with forward slashes
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        text = ": ".join(line.strip() for line in self.message.splitlines())  # pyright explains on more lines
        return f"{self.checker:7} {self.file}:{self.line}: {text} [{self.code}]"


def run(command: List[str]) -> "subprocess.CompletedProcess[str]":
    print("$", " ".join(command[2:] if command[0] == sys.executable else command), flush=True)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def mypy(files: List[str]) -> List[Finding]:
    # Exit status 1 only means errors were found; 2 means mypy itself could not run.
    done = run([sys.executable, "-m", "mypy", "--strict", "--output", "json", *files])
    if done.returncode not in (0, 1):
        sys.exit(f"mypy did not run (exit status {done.returncode}):\n{done.stdout}{done.stderr}")
    found = []
    for line in done.stdout.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            print("  mypy said:", line)  # a crash report or a message outside the JSON format
            continue
        if item["severity"] == "error":  # notes only explain an error beside them
            found.append(Finding("mypy", item["file"].replace("\\", "/"), item["line"], item["code"] or "",
                                 item["message"]))
    return found


def pyright(files: List[str]) -> List[Finding]:
    # --pythonpath: resolve imports in the environment running this script, as mypy does.
    done = run([sys.executable, "-m", "pyright", "--outputjson", "--pythonversion", "3.8",
                "--pythonpath", sys.executable, *files])
    try:
        report = json.loads(done.stdout)
    except ValueError:
        sys.exit(f"pyright did not run (exit status {done.returncode}):\n{done.stdout}{done.stderr}")
    found = []
    for item in report["generalDiagnostics"]:
        if item["severity"] not in ("error", "warning"):
            continue
        path = Path(item["file"])
        file = path.relative_to(ROOT).as_posix() if ROOT in path.parents else path.as_posix()
        found.append(Finding("pyright" if item["severity"] == "error" else "pyright(warning)", file,
                             item["range"]["start"]["line"] + 1, item.get("rule", ""), item["message"]))
    return found


def expectations(file: str) -> Dict[int, List[str]]:
    tagged = {}
    for number, text in enumerate((ROOT / file).read_text(encoding="utf-8").splitlines(), start=1):
        match = TAG.search(text)
        if match:
            tagged[number] = [code.strip() for code in match.group(1).split(",")]
    return tagged


def check_clean(findings: List[Finding]) -> bool:
    mine = [f for f in findings if f.file == CLEAN]
    if not mine:
        print(f"ok    {CLEAN}: clean under mypy --strict and pyright")
        return True
    print(f"FAIL  {CLEAN} must be clean; the checkers reported:")
    for finding in sorted(mine, key=lambda f: (f.line, f.checker)):
        print("        " + str(finding))
    return False


def check_negative(findings: List[Finding]) -> Tuple[int, List[str]]:
    """Print each expectation and each unexpected report; return how many were met, and the problems."""
    source = (ROOT / NEGATIVE).read_text(encoding="utf-8").splitlines()
    tagged = expectations(NEGATIVE)
    by_line: Dict[int, List[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.file == NEGATIVE:
            by_line[finding.line].append(finding)
    problems = [] if tagged else [f"{NEGATIVE} has no '# expect:' tags"]
    for number, codes in sorted(tagged.items()):
        said = by_line.get(number, [])
        mypy_codes = {f.code for f in said if f.checker == "mypy"}
        pyright_rules = {f.code for f in said if f.checker == "pyright"}
        wanted_rules = set().union(*(PYRIGHT_RULES.get(code, set()) for code in codes))
        missing = {}  # checker -> what it said instead
        if not mypy_codes & set(codes):
            missing["mypy"] = ", ".join(sorted(mypy_codes)) or "no error"
        if not pyright_rules & wanted_rules:
            missing["pyright"] = ", ".join(sorted(pyright_rules)) or "no error"
        line = TAG.sub("", source[number - 1]).strip()
        print(f"{'MISS' if missing else 'ok':5} {NEGATIVE}:{number} expects {', '.join(codes)}: {line}")
        if missing:
            problems.append(f"{NEGATIVE}:{number} not reported as {', '.join(codes)} by {' and '.join(missing)}")
            for checker, got in missing.items():
                print(f"        {checker} reported {got}")
            for finding in said:
                print("          " + str(finding))
    for number in sorted(set(by_line) - set(tagged)):
        problems.append(f"{NEGATIVE}:{number} is not tagged but was reported")
        print(f"EXTRA {NEGATIVE}:{number} is not tagged, yet was reported: {source[number - 1].strip()}")
        for finding in by_line[number]:
            print("        " + str(finding))
    met = len(tagged) - sum(1 for problem in problems if " not reported as " in problem)
    return met, problems


def main() -> int:
    files = [CLEAN, NEGATIVE]
    findings = mypy(files) + pyright(files)
    elsewhere = sorted({f.file for f in findings if f.file not in files})
    if elsewhere:  # the package's own errors, which `mypy --strict deepgram` reports
        print(f"(ignored: errors in {len(elsewhere)} file(s) outside typecheck/, e.g. {elsewhere[0]})")
    clean = check_clean(findings)
    met, problems = check_negative(findings)
    problems = ([] if clean else [f"{CLEAN} is not clean"]) + problems
    print(f"typecheck: {met} of {len(expectations(NEGATIVE))} expected errors reported by both checkers;",
          "passed" if not problems else "FAILED:")
    for problem in problems:
        print("  - " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
