"""Where the project's files are: read from the environment each time they are asked for, never at import.

So a test sets ``DASHBOARD_DATA`` with ``monkeypatch.setenv`` instead of starting another Python, and a
running dashboard follows the folder it is pointed at.

>>> import os; os.environ["DASHBOARD_DATA"] = "/tmp/copy"
>>> str(data_dir()), str(events_path()), str(stories_dir())
('/tmp/copy', '/tmp/copy/events.yaml', '/tmp/copy/stories')
>>> del os.environ["DASHBOARD_DATA"]; data_dir() == REPO_ROOT / "data"
True
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "DASHBOARD_DATA"  # a copy of data/ to read and refresh instead of the committed one
SEEDS_ENV = "DASHBOARD_SEEDS"  # the folder of the two source documents the event quotes are checked against
REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """The data folder: ``$DASHBOARD_DATA``, else the repository's ``data/``."""
    return Path(os.environ.get(DATA_ENV) or REPO_ROOT / "data")


def events_path() -> Path:
    return data_dir() / "events.yaml"


def claims_path() -> Path:
    return data_dir() / "claims.yaml"


def stories_dir() -> Path:
    return data_dir() / "stories"


def seeds_dir() -> Path:
    """The source documents: ``$DASHBOARD_SEEDS``, else ``shared/seeds`` beside the repository."""
    return Path(os.environ.get(SEEDS_ENV) or REPO_ROOT.parent / "shared" / "seeds")
