"""`python -m bench.results --quick` writes the table, so the one benchmark command cannot rot.
Request counts are exact, so they are checked; timings are printed, never asserted."""

from __future__ import annotations

from bench import results


def test_quick_run_writes_every_section_with_exact_request_counts(tmp_path):
    out = tmp_path / "RESULTS.md"
    assert results.main(["--quick", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for section in ("CLI start-up", "events apply", "events check", "Daily gate", "Image session"):
        assert f"## {section}" in text
    assert "Machine: " in text and "Python 3" in text
    for phase in ("create", "unchanged"):
        assert f"| requests per event, {phase}, 50 ms | 1.00 | 1 | met |" in text
    assert "| requests per event, update, 50 ms | 2.00 | 2 (GET + PUT) | met |" in text
    assert "x the floor" in text
    where = "(1 Page.save() at 50 ms, measured)"
    assert f"| peer baseline: pywikibot default throttle, writes/s {where} | " in text
    assert (
        f"| peer baseline: requests per write {where} | 15.00 (1.00 edits per write; "
        "15 requests in all) | gatebot: 1.00 per create | - |"
    ) in text
    assert " put_throttle (default) | 10 s between writes (Throttle: 10 s x 1 " in text
