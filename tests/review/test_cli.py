"""`gatebot images review` as a command: the link first, Ctrl-C a clean end with the report,
a taken port one sentence."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from bot.sandbox.server import SandboxServer
from tests.review.harness import PASSWORD

USER = {"GATEBOT_USER": "Volunteer@gatebot", "GATEBOT_PASSWORD": PASSWORD}


def command(sandbox: SandboxServer, state: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "images", "review", "--no-browser",
            "--wiki", sandbox.api_url, "--state-dir", str(state), *extra]  # fmt: skip


def test_ctrl_c_ends_the_session_cleanly_with_its_report(sandbox: SandboxServer, state: Path):
    process = subprocess.Popen(
        command(sandbox, state), env={**os.environ, **USER}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("Review page: http://127.0.0.1:") and "/?token=" in first
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Session over: it was ended at the terminal (interrupted)." in out
    assert "Traceback" not in err


def test_with_json_the_link_goes_to_stderr_and_stdout_is_the_report(
    sandbox: SandboxServer, state: Path
):
    process = subprocess.Popen(
        command(sandbox, state, "--json"), env={**os.environ, **USER}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    assert process.stderr.readline().startswith("Review page: http://127.0.0.1:")
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert out.lstrip().startswith("{") and '"stopped": "interrupted"' in out


def test_a_port_in_use_is_one_sentence_and_exit_2(sandbox: SandboxServer, state: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            command(sandbox, state, "--port", str(port)), env={**os.environ, **USER},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"gatebot: Port {port} on 127.0.0.1 is already in use; choose another with --port, or "
        "leave --port out to take a free one."
    )
    assert done.stdout == ""
