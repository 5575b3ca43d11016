"""What `kb check`'s report means for the command: its exit code."""

from __future__ import annotations

from kb_builder.checks.report import Report
from kb_builder.errors import KbError


def exit_code(report: Report, strict: bool = False) -> int:
    """0 when clean, 1 with errors (or with warnings under --strict)."""
    if report.errors or (strict and report.warnings):
        return 1
    return 0


class ChecksFailed(KbError):
    """`kb check` found errors (or warnings under --strict): exit code 1 after the report is printed."""

    exit_code = 1


def verdict(report: Report, strict: bool = False) -> None:
    """Raise ChecksFailed when the report should fail the command."""
    if exit_code(report, strict):
        if report.errors:
            raise ChecksFailed(f"kb check found {report.errors} error(s)")
        raise ChecksFailed(f"kb check found {report.warnings} warning(s) and --strict is on")
