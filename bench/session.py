"""Session benchmark: the time from an answer to the next suggestion shown, with the sandbox
answering every request after `--latency-ms` (default 200 ms), with and without the prefetch.

A simulated volunteer thinks `--think-ms` (default 1500 ms) over each suggestion, then answers
yes or no in turn, through the real session loop, gate, ledger and GrowthExperiments client.
Timed per answer, from the moment the answer is given:
  answer->shown  until the next suggestion is ready to show: what the volunteer waits. It
                 includes sending the answer (the gate's fresh count from the wiki, then the
                 save: two round trips that must come first, since the gate must know the
                 answer counted before it lets another one be shown);
  sent->shown    from the moment the wiki has taken the answer: what the prefetch removes.
Each variant gets a fresh sandbox and ledger in the same run. Goal: sent->shown <= 50 ms.

Run from the repository root: `.venv/bin/python -m bench.session [--answers 12] [--quick]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import policies
from bot.growth import IMAGE, Accept, Answer, Reject
from bot.ledger import Ledger, Verdict
from bot.sandbox.config import load_config
from bot.sandbox.server import serve
from bot.suggestions import Handled, Suggestion, build_session, run_session
from bot.wiki import BotPassword, connect

GOAL_MS = 50.0


@dataclass
class Volunteer:
    """Thinks, answers, and notes when each answer was given, taken, and the next one shown."""

    think: float
    answers: int
    given: list[float] = field(default_factory=list)
    taken: list[float] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)

    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        self.shown.append(time.perf_counter())
        if len(self.given) == self.answers:
            return None
        time.sleep(self.think)
        self.given.append(time.perf_counter())
        if len(self.given) % 2:
            return Accept(f"{suggestion.title} seen from the south")
        return Reject(("notrelevant",))

    def handled(self, result: Handled) -> None:
        self.taken.append(time.perf_counter())


def run(prefetch: bool, latency_ms: int, think: float, answers: int) -> Volunteer:
    """One session on a fresh sandbox; the volunteer's timings."""
    server = serve(load_config().with_latency(latency_ms))
    try:
        with tempfile.TemporaryDirectory(prefix="gatebot-bench-") as tmp:
            state = Path(tmp)
            wiki = connect(
                server.api_url, credentials=BotPassword("Volunteer@gatebot", "sandbox"),
                state_dir=state, environ={}, min_interval=0,
            )  # fmt: skip
            with wiki, Ledger.open(state) as ledger:
                session = build_session(
                    wiki, policies.load(), ledger, task_types=(IMAGE,), prefetch=prefetch
                )
                volunteer = Volunteer(think, answers)
                report = run_session(session.gate, session.source, volunteer, check=session.check)
                if report.answered != answers:
                    raise SystemExit(f"the session answered {report.answered}: {report.stopped}")
                return volunteer
    finally:
        server.stop()


def figures(name: str, waits: list[float]) -> str:
    ms = sorted(1000 * wait for wait in waits)
    p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
    return (
        f"  {name:<14} p50 {statistics.median(ms):7.1f} ms  p90 {p90:7.1f} ms  max {ms[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=12, help="answers per variant (max 25)")
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--think-ms", type=int, default=1500)
    parser.add_argument("--quick", action="store_true", help="3 answers, 50 ms, 300 ms think")
    args = parser.parse_args()
    if args.quick:
        args.answers, args.latency_ms, args.think_ms = 3, 50, 300
    print(
        f"{args.answers} answers per variant, sandbox latency {args.latency_ms} ms, "
        f"{args.think_ms} ms to decide each; goal sent->shown <= {GOAL_MS:.0f} ms"
    )
    for prefetch in (True, False):
        v = run(prefetch, args.latency_ms, args.think_ms / 1000, args.answers)
        after = v.shown[1:]
        print("with prefetch" if prefetch else "without prefetch")
        print(figures("answer->shown", [s - g for g, s in zip(v.given, after, strict=True)]))
        print(figures("sent->shown", [s - t for t, s in zip(v.taken, after, strict=True)]))


if __name__ == "__main__":
    main()
