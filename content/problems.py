"""Problems found in content sources: plain data, produced first and printed afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file relative to the source folder, 1-based line) and what."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Report:
    """Every problem found, in the order found; `format()` sorts them by file and line."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, max(line, 1), message, "error"))

    def warning(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, max(line, 1), message, "warning"))

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in dict.fromkeys(self.problems) if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in dict.fromkeys(self.problems) if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not stop publishing)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        unique = dict.fromkeys(self.problems)  # the same problem found twice is reported once
        return sorted(unique, key=lambda p: (p.file, p.line, p.severity != "error", p.message))

    def format(self) -> list[str]:
        return [p.format() for p in self.sorted()]

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
