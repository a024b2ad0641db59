"""The shape every benchmark of `make bench` reports in (issue 13).

A benchmark module `bench/b<N>_<name>.py` defines `run(ctx: Context) -> list[Result]`. The runner (`python -m bench`)
builds the data set once, calls each module's `run`, prints `Result.line()` for each result, and exits non-zero when
any is FAIL. Values are ratios against a baseline measured in the same run, counts, or — only where the target itself
is a time — medians of many repetitions.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

OPERATORS = {"<=": lambda value, target: value <= target, ">=": lambda value, target: value >= target}


@dataclass(frozen=True)
class Context:
    """What the runner gives each benchmark."""

    cases: int  # the size of the data set: 100,000 for `make bench`, 1,000 for `make bench-smoke`
    persons: int  # persons for the duplicate search: 1,000,000 for `make bench`
    smoke: bool = False  # the small CI run: same code, fewer repetitions
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    id: str  # "B1" … "B8"; a benchmark with several targets reports B2a, B2b, …
    name: str  # snake_case, no spaces
    value: float
    op: str  # "<=" or ">="
    target: float
    detail: str = ""  # free text after the verdict: the baseline, the medians, the counts

    @property
    def ok(self) -> bool:
        return OPERATORS[self.op](self.value, self.target)

    def line(self) -> str:
        verdict = "ok" if self.ok else "FAIL"
        target = f"{self.op}{_number(self.target)}"
        text = f"BENCH {self.id} {self.name} value={_number(self.value)} target={target} {verdict}"
        return f"{text}  # {self.detail}" if self.detail else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"


def median_seconds(func: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    """The median wall time of `repeat` calls of `func`, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
