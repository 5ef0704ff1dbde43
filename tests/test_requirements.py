"""pyproject.toml and the requirements files name the same packages with the same lower bounds.

The README installs with ``pip install -r requirements.txt`` (no build of the project); pyproject.toml
carries the same list for tools that read it. Neither may drift from the other.
"""

from __future__ import annotations

import tomllib

from tests.publishers import REPO


def requirement_lines(name: str) -> list[str]:
    """The package lines of a requirements file: comments, blank lines and ``-r`` includes left out."""
    lines = (line.split("#", 1)[0].strip() for line in (REPO / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def test_runtime_dependencies_match_requirements_txt():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == requirement_lines("requirements.txt")


def test_dev_dependencies_match_requirements_dev_txt():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["optional-dependencies"]["dev"] == requirement_lines("requirements-dev.txt")
    includes = (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in includes, "requirements-dev.txt installs the runtime requirements too"
