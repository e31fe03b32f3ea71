"""Ctrl-C at any moment: exit 130, one line on stderr, no traceback, no partial or temporary file.

The program is run as a person runs it (a subprocess) and sent SIGINT after a random delay
while it works. The child starts with SIGINT held back (as if the Ctrl-C came while
Python itself was still starting), so that a signal sent in the first instants reaches
klyngefond too instead of Python's own start-up code; klyngefond takes it as soon as it runs.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from robust_helpers import FORBIDDEN, fresh_copy, program

from klyngefond.core.problems import errors
from klyngefond.storage.loader import load_ledger

pytestmark = pytest.mark.slow

COMMANDS = {
    "issue": ["invoices", "Vesterhavet", "--issue", "--date", "2024-01-15"],
    "record": ["allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1000", "--owner", "region-vest",
               "--date", "2023-05-01", "--level", "politisk", "--record", "--year", "2023"],
    "status": ["status", "Vesterhavet"],
}


def _hold_back_sigint() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def temporaries(folder: Path) -> list[Path]:
    return [Path(root) / name for root, _, files in os.walk(folder) for name in files if name.endswith(".tmp")]


@pytest.mark.parametrize("name", COMMANDS)
def test_ctrl_c_at_random_points_exits_130_with_one_line(name: str, tmp_path: Path) -> None:
    rng = random.Random(f"sigint-{name}")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLYNGEFOND_")} | {"PYTHONIOENCODING": "utf-8"}
    interrupted = 0
    for attempt in range(8):
        work = tmp_path / f"run-{attempt}"
        data = fresh_copy(work / "data")
        process = subprocess.Popen([*program(), *COMMANDS[name], "--data", str(data)], cwd=work, env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_hold_back_sigint)
        time.sleep(rng.uniform(0.0, 0.7))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        for word in FORBIDDEN:
            assert word not in out + err, f"{word!r} after SIGINT:\n{err}"
        assert process.returncode in (0, 130), (process.returncode, err)
        if process.returncode == 130:
            interrupted += 1
            assert err.strip().splitlines() == ["klyngefond: afbrudt; intet er halvt skrevet"], err
        assert temporaries(work) == [], "an interrupted write left a temporary file"
        ledger, problems = load_ledger(data / "vesterhavet")
        assert ledger is not None and errors(problems) == [], problems  # every file that exists is whole
    assert interrupted, "no run was interrupted: the delays are too long for this machine"
