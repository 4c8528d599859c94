"""The pywikibot backend imports pywikibot without its side effects on the caller."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.argv = ["gatebot", "-simulate", "-dir:/nonexistent", "-v", "whoami"]
    from bot.wiki import backend_class, resolve_target
    target = resolve_target("https://patchdemo.wmcloud.org/wikis/abc123/w/", environ={})
    client = backend_class("pywikibot")(target, credentials=None, state_dir=Path("../state"))
    import pywikibot
    print(json.dumps({"argv": sys.argv, "simulate": pywikibot.config.simulate,
                      "base_dir": str(Path(pywikibot.config.base_dir).resolve()),
                      "family": pywikibot.config.family_files.get(target.family_name),
                      "expected_dir": str(client.pywikibot_dir.resolve())}))
    """
)


def test_pywikibot_keeps_to_the_state_folder_and_leaves_argv_alone(tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    environ = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(tmp_path / "home")}
    environ.pop("PYWIKIBOT_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=work, env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["argv"] == ["gatebot", "-simulate", "-dir:/nonexistent", "-v", "whoami"]
    assert seen["simulate"] is False
    assert seen["base_dir"] == seen["expected_dir"]
    assert seen["family"] == "https://patchdemo.wmcloud.org/wikis/abc123/w/api.php"
    assert list(work.iterdir()) == []
    assert not (tmp_path / "home" / ".pywikibot").exists()
