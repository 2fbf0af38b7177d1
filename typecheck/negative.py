"""Mistakes that the package's types must catch: typecheck/run.py checks that mypy and pyright
both report an error on every line tagged ``# expect: <mypy error code>``, and on no other line.
Where mypy words one mistake two ways, the tag lists both (``a, b``: either will do); mypy says
``misc`` instead of ``typeddict-item`` for a key missing from a TypedDict it cannot name.

Never run: it only has to be read by the checkers.
"""

from deepgram import Deepgram
from deepgram.types import PrerecordedOptions


async def mistakes(dg: Deepgram) -> None:
    dg.projects.lisst()  # expect: attr-defined
    dg.sync.projects.lisst()  # expect: attr-defined
    dg.sync.usage.get_request("project", 42)  # expect: arg-type
    projects = dg.projects.list()["projects"]  # expect: index
    listed = await dg.sync.projects.list()  # expect: misc
    result = dg.sync.projects.list()
    typo = result["projectz"]  # expect: typeddict-item, misc
    options: PrerecordedOptions = {"punctuate": [1, 2]}  # expect: typeddict-item
    print(projects, listed, typo, options)
