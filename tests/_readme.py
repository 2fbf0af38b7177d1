"""The Python blocks of a Markdown file: where each starts, under which heading, and its marker.

A block is skipped by the README test only when an HTML comment just above its fence (blank lines
aside) says so, with a reason: ``<!-- readme-test: skip (needs a microphone) -->``.
"""

import ast
import re
from typing import List, NamedTuple, Optional

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_MARKER = re.compile(r"^\s*<!--\s*readme-test:\s*(?P<text>.*?)\s*-->\s*$")
_SKIP = re.compile(r"^skip\s*\((?P<reason>.+)\)$")
PYTHON = ("python", "py", "python3")


class Block(NamedTuple):
    """A fenced Python block of the README."""

    line: int  # 1-based line of the opening fence; the code starts on the next line
    heading: str  # the nearest heading above it ("" before the first)
    source: str  # the code, dedented by the fence's indentation
    marker: Optional[str]  # the text of a ``<!-- readme-test: ... -->`` comment just before it

    @property
    def id(self) -> str:
        """A test id naming the line and the section: ``L42-the-client``."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"L{self.line}-{slug}" if slug else f"L{self.line}"

    @property
    def skip_reason(self) -> Optional[str]:
        """The reason of a skip marker, None without one; a marker that is not a well-formed skip
        raises, so that a typo cannot quietly leave a block unrun or run."""
        if self.marker is None:
            return None
        found = _SKIP.match(self.marker)
        if found is None:
            raise ValueError(f"README line {self.line}: a readme-test marker must read "
                             f"'<!-- readme-test: skip (reason) -->', not {self.marker!r}")
        return found.group("reason").strip()

    @property
    def tree(self) -> ast.Module:
        return ast.parse(self.source)

    @property
    def is_conftest(self) -> bool:
        """Whether the block is a conftest.py: it sets ``pytest_plugins``."""
        return any(isinstance(node, ast.Assign)
                   and any(isinstance(target, ast.Name) and target.id == "pytest_plugins" for target in node.targets)
                   for node in self.tree.body)

    @property
    def test_names(self) -> List[str]:
        """The test functions the block defines (``def test_...``, ``async def test_...``)."""
        return [node.name for node in self.tree.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")]


def python_blocks(markdown: str) -> List[Block]:
    """Every fenced Python block of ``markdown``, in order."""
    lines = markdown.splitlines()
    blocks: List[Block] = []
    heading = ""
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            title = _HEADING.match(lines[index])
            if title is not None:
                heading = title.group("title")
            index += 1
            continue
        end = _closing_fence(lines, index, opening.group("fence"))
        if opening.group("info").strip().split(" ")[0].lower() in PYTHON:
            indent = len(opening.group("indent"))
            code = "\n".join(line[indent:] for line in lines[index + 1:end]) + "\n"
            blocks.append(Block(index + 1, heading, code, _marker_before(lines, index)))
        index = end + 1
    return blocks


def _closing_fence(lines: List[str], start: int, fence: str) -> int:
    """The index of the line closing the fence opened at ``start`` (the end of the file if none)."""
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            return index
    return len(lines)


def _marker_before(lines: List[str], fence_index: int) -> Optional[str]:
    """The text of a readme-test comment on the nearest non-blank line above the fence."""
    index = fence_index - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    found = _MARKER.match(lines[index]) if index >= 0 else None
    return found.group("text") if found else None
