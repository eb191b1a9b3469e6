"""`make mutate [MODULE=name]`: mutation testing of the critical modules, and the kill ratio.

    python -m tests.mutation                  run every critical module, then report
    python -m tests.mutation installed wire   run some modules (names in MODULES), then report
    python -m tests.mutation --report-only    report the results already in mutants/
    python -m tests.mutation validate --functions check_airports,language_ref
                                              only the mutants of these functions (a long
                                              module in parts; the report counts what ran)

mutmut (shared options in pyproject.toml, [tool.mutmut]) runs once per module, in its own
workspace mutants/<module>/: it copies the tree there, mutates that one module and, for each
mutant, runs only that module's fast tests (below) that call the mutated function. A mutant is
*killed* when a test fails (or times out); a *survivor* is a change to the code that no test
noticed. Kill ratio = killed / (killed + survived + no tests). Read a survivor with
`cd mutants/<module> && mutmut show NAME`. Survivors judged equivalent (no behaviour can tell
them from the original) are listed in EQUIVALENT with the reason and reported apart.
The last measured ratios per module are recorded in admin_sync/README.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "mutants"
LINKED = ("content", "admin_sync", "kiosk", "tests", "safe_airports_cli.py")


@dataclass(frozen=True)
class Module:
    file: str
    tests: tuple[str, ...]  # pytest arguments: the fast tests of this module
    only: tuple[str, ...] = ("*",)  # mutant name patterns that count (default: all)

    @property
    def dotted(self) -> str:
        return self.file.removesuffix(".py").replace("/", ".")


_STATS_TESTS = (
    "tests/admin_sync/test_stats_wire_format.py",
    "tests/admin_sync/agent/test_stats_outbox.py",
    "tests/admin_sync/agent/test_stats_outbox_details.py",
    "tests/admin_sync/test_stats_privacy.py",
    "tests/admin_sync/server/test_stats_api.py",
    "tests/admin_sync/test_allow_list_whole_values.py",
    "tests/admin_sync/agent/test_stats_settings.py",
    # the end-to-end privacy property (10 s, 60 examples through the outbox) stays in `make
    # test`; here the example-based tests and the suppression property are quick enough
    "--deselect",
    "tests/admin_sync/test_stats_privacy.py::test_uploaded_batches_are_private",
)
_CONSOLE_TESTS = (
    "tests/admin_sync/server/console/test_console_security_details.py",
    "tests/admin_sync/server/console/test_console_csrf.py",
    "tests/admin_sync/server/console/test_console_auth.py",
)

_CONSOLE_UNIT_TESTS = (
    *_CONSOLE_TESTS,
    "tests/admin_sync/server/console/test_forms_and_access.py",
    "tests/admin_sync/server/console/test_access_and_forms_units.py",
)

MODULES: dict[str, Module] = {
    "installed": Module(
        "content/installed.py",
        (
            "tests/content/test_installed.py",
            "tests/content/test_installed_atomicity.py",
            "tests/content/test_installed_housekeeping.py",
            "--deselect",
            "tests/content/test_installed.py::test_kill_9_during_installs_leaves_old_or_new_content",
        ),
    ),
    "validate": Module(
        "content/validate.py",
        (
            "tests/content/test_validate.py",
            "tests/content/test_validate_phones.py",
            "tests/content/test_validate_messages.py",
            "tests/content/test_validate_airports.py",
            "-k",
            "not cli",  # the command-line tests run the checker in a subprocess
            # compares a data table with the sample's ui/en.yaml (no checker code runs); the
            # sample changes with other work and must not stop a mutation run
            "--deselect",
            "tests/content/test_validate.py::test_required_ui_keys_match_the_sample_english_file",
        ),
    ),
    "fetcher": Module(
        "admin_sync/agent/fetcher.py", ("tests/admin_sync/agent/test_fetcher_limits.py",)
    ),
    "outbox": Module("admin_sync/agent/stats_outbox.py", _STATS_TESTS),
    "wire": Module("admin_sync/stats_wire.py", _STATS_TESTS),
    "auth": Module(
        "admin_sync/server/auth.py",
        (
            "tests/admin_sync/server/test_auth_dependencies.py",
            "tests/admin_sync/server/test_stats_api.py",
        ),
    ),
    "users": Module(
        "admin_sync/users.py",
        (
            "tests/admin_sync/test_users_store.py",
            "tests/admin_sync/server/test_auth_dependencies.py",
            *_CONSOLE_TESTS,
            "tests/admin_sync/test_users.py",
            "tests/admin_sync/test_users_throttling.py",
        ),
        # the store's security code; not the add-user command line (argparse help texts and
        # the password prompt, tested through a subprocess by test_users.py)
        ("*.xǁUsersDBǁ*", "*.x_check_password__*", "*.x__sha__*", "*.x__iso__*"),
    ),
    # the console's security code: sessions, roles, cookies and headers (access.py) and the one
    # CSRF check of every form (forms.py)
    "console": Module(
        "admin_sync/server/console/access.py",
        _CONSOLE_UNIT_TESTS,
    ),
    "console_forms": Module(
        "admin_sync/server/console/forms.py",
        _CONSOLE_UNIT_TESTS,
    ),
}

# Survivors judged equivalent: no input can tell them from the original. name -> why.
_UTF8_CASE = "codec names are case-insensitive ('UTF-8' is 'utf-8')"
_ASCII = "the pointer and the record are ASCII (cache-vN.db, JSON of a number and that name)"
_UNDER_LOCK = (
    "missing_ok only matters if the file vanishes between listing and unlinking; nothing else "
    "deletes in the store while the install lock is held"
)
_SQL_CASE = (
    "SQL keywords and SQLite names are case-insensitive (the quoted values in this statement "
    "are lower-case already, or there are none)"
)
_I = "content.installed."
EQUIVALENT: dict[str, str] = {
    _I + "x__fsync_dir__mutmut_6": "O_RDONLY & O_DIRECTORY is O_RDONLY: opening and fsyncing a "
    "directory works the same without the O_DIRECTORY check",
    _I + "x__write_atomically__mutmut_4": "the temporary file's name ('XX.tmpXX') is never seen",
    _I + "x__write_atomically__mutmut_5": "the temporary file's name ('.TMP') is never seen",
    _I + "x__write_atomically__mutmut_8": _ASCII,
    _I + "x__write_atomically__mutmut_11": _ASCII,
    _I + "x__write_atomically__mutmut_15": _UTF8_CASE,
    _I + "xǁInstalledStoreǁcurrent_path__mutmut_2": _ASCII,
    _I + "xǁInstalledStoreǁcurrent_path__mutmut_5": _UTF8_CASE,
    _I + "xǁInstalledStoreǁinstalled_version__mutmut_3": _ASCII,
    _I + "xǁInstalledStoreǁinstalled_version__mutmut_6": _UTF8_CASE,
    _I + "xǁInstalledStoreǁ_remove_old__mutmut_4": _UNDER_LOCK,
    _I + "xǁInstalledStoreǁ_remove_old__mutmut_5": _UNDER_LOCK,
    _I + "xǁInstalledStoreǁ_remove_old__mutmut_16": _UNDER_LOCK,
    _I + "xǁInstalledStoreǁ_remove_old__mutmut_17": _UNDER_LOCK,
    "admin_sync.stats_wire.x_suppress__mutmut_6": "`count >= 0` for `count > 0`: a zero count "
    "adds nothing to a kept cell or to a suppressed total",
    **{
        f"admin_sync.server.auth.x_{name}__mutmut_{n}": "HTTP header names are case-insensitive"
        for name, n in [
            ("_token", 16),
            ("_token", 17),
            ("require_kiosk", 22),
            ("require_kiosk", 23),
            ("require_admin", 40),
            ("require_admin", 41),
        ]
    },
    "admin_sync.server.auth.x__token__mutmut_1": "FastAPI's HTTPBearer(auto_error=False) "
    "already answers None for another scheme or an empty token, so `or` and `and` agree",
    **{
        f"admin_sync.users.xǁUsersDBǁ{name}__mutmut_{n}": why
        for name, n, why in [
            ("set_password", 11, "SQL keywords and SQLite names are case-insensitive"),
            ("set_password", 12, "SQL keywords and SQLite names are case-insensitive"),
            ("set_role", 12, "SQL keywords and SQLite names are case-insensitive"),
            ("set_role", 13, "SQL keywords and SQLite names are case-insensitive"),
            ("sign_out", 6, "SQL keywords and SQLite names are case-insensitive"),
            ("sign_out", 7, "SQL keywords and SQLite names are case-insensitive"),
            ("_ensure_an_editor", 4, _SQL_CASE),
            *[("_failed", n, _SQL_CASE) for n in (7, 8, 32, 33)],
            *[("_reserve_address", n, _SQL_CASE) for n in (8, 9, 11, 12)],
            ("_failed", 13, "sqlite3.Row looks up column names case-insensitively"),
            ("_failed", 16, "sqlite3.Row looks up column names case-insensitively"),
            ("get", 26, "sqlite3.Row looks up column names case-insensitively"),
            ("get", 7, _SQL_CASE),
            ("get", 8, _SQL_CASE),
            ("users", 19, _SQL_CASE),
            ("users", 20, _SQL_CASE),
            ("get", 20, "sqlite3.Row looks up column names case-insensitively"),
            ("get", 22, "sqlite3.Row looks up column names case-insensitively"),
            ("get", 24, "sqlite3.Row looks up column names case-insensitively"),
            ("_ensure_an_editor", 14, _SQL_CASE),
            ("set_disabled", 12, _SQL_CASE),
            ("set_disabled", 13, _SQL_CASE),
            ("set_disabled", 19, _SQL_CASE),
            ("set_disabled", 20, _SQL_CASE),
            ("users", 10, "sqlite3.Row looks up column names case-insensitively"),
            ("users", 12, "sqlite3.Row looks up column names case-insensitively"),
            ("users", 14, "sqlite3.Row looks up column names case-insensitively"),
            ("users", 16, "sqlite3.Row looks up column names case-insensitively"),
            *[("session", n, _SQL_CASE) for n in (13, 14, 16, 17)],
            *[
                (
                    "open_session",
                    n,
                    "secrets.token_urlsafe(None) uses its default of 32 bytes: the same tokens",
                )
                for n in (3, 26)
            ],
            *[("open_session", n, _SQL_CASE) for n in (7, 13, 14, 21, 22, 24, 34)],
            *[("_succeeded", n, _SQL_CASE) for n in (6, 7, 14, 15, 21, 22, 24, 25, 27, 28)],
            *[
                ("session", n, "sqlite3.Row looks up column names case-insensitively")
                for n in (34, 36, 38, 40, 42)
            ],
            *[
                (
                    "session",
                    n,
                    "the length bound only spares a look-up: a token of 200 or 201 characters "
                    "is no session's (theirs have 43), looked up or not there is no session",
                )
                for n in (3, 4)
            ],
            (
                "set_role",
                15,
                "checking for a remaining editor after promoting someone to "
                "editor always finds one",
            ),
            (
                "set_role",
                16,
                "checking for a remaining editor after promoting someone to "
                "editor always finds one",
            ),
        ]
    },
    "admin_sync.server.console.forms.xǁCheckedFormǁ__call____mutmut_25": "Starlette's headers "
    "are case-insensitive ('CONTENT-LENGTH')",
    "content.validate.xǁ_Checkerǁcheck_contacts__mutmut_61": "warn_missing=None is falsy like "
    "False: contact names still get no warning per language",
    **{
        f"content.validate.xǁ_Checkerǁlocalized__mutmut_{n}": "the default of `used` (removed "
        "or None) is never reached: the texts have English here (checked just before) and "
        "every fallback chain ends in English (content.model.fallback_chain)"
        for n in (35, 37)
    },
    "admin_sync.stats_wire.x_canonical_json__mutmut_4": "ensure_ascii=None is falsy like False",
    _I + "x__move_into__mutmut_10": "the temporary file's name ('XX.tmpXX') is never seen",
    _I + "x__move_into__mutmut_11": "the temporary file's name ('.TMP') is never seen",
    _I + "x__move_into__mutmut_21": "the staged file was just copied, so it exists: missing_ok "
    "does not matter",
    _I + "x__move_into__mutmut_22": "the staged file was just copied, so it exists: missing_ok "
    "does not matter",
    "admin_sync.server.console.access.x_cookie_secure__mutmut_16": "Starlette's headers are "
    "case-insensitive ('X-FORWARDED-PROTO')",
    "admin_sync.server.console.access.x_cookie_secure__mutmut_17": "a missing X-Forwarded-Proto "
    "read as 'XXXX' instead of '' is not 'https' either",
    _I + "xǁInstalledStoreǁinstall__mutmut_61": "the name kept when there is no previous cache "
    "(an empty name or 'XXXX') matches no cache file either way",
    "admin_sync.agent.fetcher.xǁSessionFetcherǁ_chunks__mutmut_9": "`>=` for `>` in the cap: "
    "when a chunk ends exactly at the limit, slicing it to limit + 1 - received keeps it whole",
    "admin_sync.agent.fetcher.xǁSessionFetcherǁ_chunks__mutmut_19": "the early return after "
    "the byte past the limit is never reached: python-tuf's download_file stops reading at the "
    "first chunk past max_length",
    "admin_sync.agent.fetcher.xǁSessionFetcherǁ_fetch__mutmut_24": "requests' headers are "
    "case-insensitive ('content-length')",
    "admin_sync.agent.fetcher.xǁSessionFetcherǁ_fetch__mutmut_25": "requests' headers are "
    "case-insensitive ('CONTENT-LENGTH')",
}

_O = "admin_sync.agent.stats_outbox.xǁStatsOutboxǁ"
EQUIVALENT.update(
    {
        **{
            f"{_O}{name}__mutmut_{n}": _SQL_CASE
            for name, numbers in [
                ("_back_off", (26, 32, 33, 55)),
                ("_prune_sent", (6, 9)),
                ("pending_bodies", (4,)),
                ("rejected", (5, 11, 14, 15)),
                ("status", (4,)),
                ("upload", (12, 13, 15, 18, 19, 63, 95)),
                ("_enforce_cap", (4, 19, 37, 38)),
                ("_meta", (7, 8)),
                ("_set_meta", (6, 7, 9, 10)),
                ("seal", (45, 87, 88, 90, 106, 107, 110, 113, 118, 119)),
                ("recover", (5, 6, 11, 12)),
                ("__init__", (31, 32, 35, 36)),
            ]
            for n in numbers
        },
        _O + "_enforce_cap__mutmut_10": "`excess < 0` for `<= 0`: with no excess the query "
        "(LIMIT 0) finds no victim and the counters are rewritten with the same values",
        **{
            f"{_O}_enforce_cap__mutmut_{n}": "the default of `dropped_batches` is never used: "
            "batch_body writes the field into every body the outbox stores"
            for n in (25, 27, 31)
        },
        "admin_sync.agent.stats_outbox.xǁStatsStepǁfrom_config__mutmut_19": _UTF8_CASE,
        **{
            f"admin_sync.server.console.forms.xǁPostedFormǁ{name}__mutmut_{n}": "a missing "
            "field read as None instead of '' is not a str either: '' is returned"
            for name, n in [("raw", 3), ("raw", 5), ("text", 4), ("text", 6)]
        },
        **{
            f"admin_sync.agent.stats_outbox.x__make_durable__mutmut_{n}": _SQL_CASE
            for n in (20, 21, 25, 26)
        },
        "admin_sync.agent.stats_outbox.x__make_durable__mutmut_16": "the checkpoint connection "
        "runs only PRAGMAs, which never open an implicit transaction: its isolation level "
        "does not matter",
    }
)

KILLED = {1, 3, 36, 37, 24, -24, 152, 255}  # a failing test, a timeout, a type error
SURVIVED = {0}
NO_TESTS = {5, 33}


def _mutmut_table(module: Module) -> str:
    def toml_list(items: tuple[str, ...] | list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    return (
        f"only_mutate = {toml_list([module.file])}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(module.tests)}\n"
    )


def prepare(name: str) -> Path:
    """mutants/<name>/: links to the tree and a pyproject.toml naming this module and its tests."""
    module = MODULES[name]
    work = WORK / name
    work.mkdir(parents=True, exist_ok=True)
    for entry in LINKED:
        link = work / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^\[tool\.mutmut\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    assert match, "pyproject.toml has no [tool.mutmut] table"
    table = match.group(0).rstrip("\n") + "\n" + _mutmut_table(module) + "\n"
    generated = text[: match.start()] + table + text[match.end() :]
    target = work / "pyproject.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != generated:
        target.write_text(generated, encoding="utf-8")
    return work


def run(name: str, max_children: int, functions: tuple[str, ...] = ()) -> int:
    work = prepare(name)
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # mutants/ must come first
    module = MODULES[name]
    # name the mutants: mutmut then reruns them all (otherwise it keeps earlier verdicts, and a
    # survivor stays a survivor after the test that kills it was added)
    patterns = [f"{module.dotted}.*"] if module.only == ("*",) else list(module.only)
    if functions:  # mutant names end in <function>__mutmut_<n>
        patterns = [f"{module.dotted}.*{f}__mutmut_*" for f in functions]
    command = [str(mutmut), "run", f"--max-children={max_children}", *patterns]
    print(f"== {name}: mutmut in {work.relative_to(ROOT)}", flush=True)
    return subprocess.run(command, cwd=work, env=env, check=False).returncode


def results(name: str) -> dict[str, int | None]:
    module = MODULES[name]
    meta = WORK / name / "mutants" / f"{module.file}.meta"
    for _ in range(20):  # mutmut rewrites the file in place while it runs
        if not meta.exists():
            return {}
        try:
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            break
        except ValueError:
            time.sleep(0.1)
    else:
        raise SystemExit(f"{meta}: not readable JSON")
    return {k: v for k, v in codes.items() if any(fnmatch.fnmatch(k, p) for p in module.only)}


def report(names: list[str]) -> None:
    totals: Counter[str] = Counter()
    head = f"{'module':<13} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} "
    lines = [head + f"{'equiv.':>6} {'ratio':>7}"]
    survivors: list[str] = []
    seen: set[str] = set()
    for name in names:
        found = results(name)
        seen |= set(found)
        if not found:
            lines.append(f"{name:<13} (not run yet)")
            continue
        c: Counter[str] = Counter()
        for key, code in found.items():
            if key in EQUIVALENT:
                c["equivalent"] += 1
            elif code in KILLED:
                c["killed"] += 1
            elif code is None:
                c["not run"] += 1
            else:
                c["no tests" if code in NO_TESTS else "survived"] += 1
                survivors.append(f"{name}: {key}")
        totals.update(c)
        lines.append(_row(name, c))
    if len(names) > 1:
        lines.append(_row("all", totals))
    print("\n".join(lines))
    if survivors:
        print(f"\n{len(survivors)} mutants not killed (cd mutants/<module>; mutmut show NAME):")
        print("\n".join(f"  {s}" for s in sorted(survivors)))
    equivalent = [k for k in EQUIVALENT if k in seen]
    if equivalent:
        print("\nJudged equivalent (not counted):")
        print("\n".join(f"  {k}: {EQUIVALENT[k]}" for k in sorted(equivalent)))


def _row(name: str, c: Counter[str]) -> str:
    tested = c["killed"] + c["survived"] + c["no tests"]
    ratio = f"{100 * c['killed'] / tested:.1f} %" if tested else "-"
    total = tested + c["equivalent"] + c["not run"]
    extra = f"  ({c['not run']} not run)" if c["not run"] else ""
    return (
        f"{name:<13} {total:>7} {c['killed']:>7} {c['survived']:>8} {c['no tests']:>7} "
        f"{c['equivalent']:>6} {ratio:>7}{extra}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--functions", default="", help="comma-separated function names: mutate only these"
    )
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    names = args.modules or list(MODULES)
    failed = []
    if not args.report_only:
        for name in names:
            functions = tuple(f for f in args.functions.split(",") if f)
            if run(name, args.max_children, functions) != 0:
                failed.append(name)
    report(names)
    if failed:
        print(f"\nmutmut failed for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
