"""Packaging for the deepgram-v0 distribution: the ``deepgram`` package in its v0 call shape.

Not ``deepgram-sdk``: that name is Deepgram's current SDK (3.x and later), which installs the same
``deepgram`` import package; see the README for switching from one to the other.
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "deepgram" / "_version.py").read_text()).group(1)

setup(
    name="deepgram-v0",
    version=VERSION,
    description="Deepgram's API in the call shape of deepgram-sdk 0.x-2.x (import deepgram), on today's Python",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    packages=find_packages(include=["deepgram", "deepgram.*"]),
    package_data={"deepgram": ["py.typed"], "deepgram.testing": ["samples/*.wav"]},
    python_requires=">=3.8",
    install_requires=[
        "aiohttp>=3.9.0,<4",
        "requests>=2.28.0,<3",
        "websockets>=13.0,<18",
    ],
    extras_require={
        "test": ["pytest>=7", "hypothesis>=6"],
        "mic": ["sounddevice>=0.4"],  # deepgram.audio_sources.Microphone
    },
    entry_points={"console_scripts": ["deepgram = deepgram.cli:main"]},
    classifiers=[
        "License :: OSI Approved :: MIT License",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.8",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Typing :: Typed",
    ],
)
