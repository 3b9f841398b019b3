"""The system's headless Chromium for the tests that need a real browser.

Never a browser of its own: without Chromium the browser tests skip, saying so; with
``CI=true`` a missing browser fails them instead, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium; skips the test without one (fails it under CI=true)."""
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found is not None:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but Chromium is not installed (apt-get install -y chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium to run the browser tests)")
