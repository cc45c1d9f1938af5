"""The timed step printer: one line per step, e.g. ``[ 3/12] identity ............ 41 ms  张三``."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Step:
    """One running step; set `detail` to have it printed after the time, add notes to print under it."""

    number: int
    label: str
    detail: str = ""
    elapsed_ms: float = 0.0
    ok: bool = True
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """A line printed, indented, under the step's line (e.g. one downloaded document)."""
        self.notes.append(text)


@dataclass
class StepLog:
    """Prints each step on its own line with how long it took, and keeps the total.

    `total` is how many steps the scenario expects; it only sets the ``[ n/total]`` counter (a scenario that takes
    more steps than announced just counts on). `width` is where the dots end and the time begins.
    """

    total: int = 0
    stream: TextIO | None = None
    width: int = 28
    enabled: bool = True
    steps: list[Step] = field(default_factory=list)
    _started: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def count(self) -> int:
        """How many steps have started."""
        return len(self.steps)

    @property
    def total_ms(self) -> int:
        """Milliseconds since the log was made (the whole run, waits between steps included)."""
        return round((time.perf_counter() - self._started) * 1000)

    def format_line(self, step: Step) -> str:
        """The printed line of a finished step."""
        digits = max(len(str(self.total)), len(str(step.number)), 2)
        total = self.total if self.total >= step.number else step.number
        counter = f"[{step.number:>{digits}}/{total:<{digits}}]"
        label = f"{step.label} "
        dots = "." * max(3, self.width - len(label))
        result = f"{step.elapsed_ms:>6.0f} ms" if step.ok else f"{step.elapsed_ms:>6.0f} ms  FAILED"
        line = f"{counter} {label}{dots} {result}"
        if step.detail:
            line += f"  {step.detail}"
        return line

    @contextmanager
    def step(self, label: str, detail: str = "") -> Iterator[Step]:
        """Time the body of a ``with`` block as one step and print its line when it ends (also when it fails)."""
        current = Step(number=len(self.steps) + 1, label=label, detail=detail)
        self.steps.append(current)
        started = time.perf_counter()
        try:
            yield current
        except BaseException:
            current.ok = False
            raise
        finally:
            current.elapsed_ms = (time.perf_counter() - started) * 1000
            self._emit(self.format_line(current))
            for text in current.notes:
                self._emit(f"{' ' * 8}{text}")

    def _emit(self, line: str) -> None:
        if self.enabled:
            stream = self.stream if self.stream is not None else sys.stdout
            print(line, file=stream, flush=True)
