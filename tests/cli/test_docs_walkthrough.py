"""docs/walkthrough.md is executable: its commands run in order in a new folder, and what it
shows each command print is what the command prints.

How the document is read (described for writers at the top of docs/walkthrough.md):

- a ```console block holds ``$ command`` lines, each followed by the output it shows;
- a ```sh block holds commands whose output is not shown (``pip …`` lines are skipped:
  the test runs the fedplan it is testing);
- a ```yaml block right after ``<!-- file: PATH -->`` is written to PATH before going on;
- a ```diff block right after a console block is the output of that block's last command.

Comparison is robust to what the document leaves out, and strict about what it shows: each
shown line must be found, in order, among the lines printed, and its words (runs without
spaces) must appear in that line in order — so a column added to a table, a line the
document skips, or different padding do not fail it, but a changed figure, word or status
does. A line ``…`` (or starting with ``…（``) stands for lines left out. The folder the
walkthrough runs in is shown as ``~``.

``python -m tests.cli.test_docs_walkthrough`` prints what each command prints now, for
updating the document after an intended change of output.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "walkthrough.md"
TODAY = "2026-11-28"  # the day the document says it was run on
COLUMNS = "110"
FENCE = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n+)?^```(?P<lang>\w*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
SKIP = "…"


@dataclass
class Step:
    kind: str  # "run" (output compared), "sh" (output ignored), "file"
    command: str = ""
    expected: list[str] = field(default_factory=list)
    path: str = ""
    text: str = ""
    line: int = 0  # where in the document, for messages


def steps(doc: str) -> list[Step]:
    found: list[Step] = []
    for match in FENCE.finditer(doc):
        lang, body = match["lang"], match["body"]
        line = doc.count("\n", 0, match.start()) + 1
        if match["file"]:
            found.append(Step("file", path=match["file"], text=body, line=line))
        elif lang == "console":
            for chunk in re.split(r"^(?=\$ )", body, flags=re.M):
                if chunk.startswith("$ "):
                    command, _, output = chunk[2:].partition("\n")
                    found.append(Step("run", command=command.strip(), expected=output.splitlines(), line=line))
        elif lang == "sh":
            for text in body.splitlines():
                text = text.split("  #", 1)[0].strip()
                if text and not text.startswith(("#", "pip ")):
                    found.append(Step("sh", command=text, line=line))
        elif lang == "diff" and found and found[-1].kind == "run" and not found[-1].expected:
            found[-1].expected = body.splitlines()
    return found


class Session:
    """A shell of sorts: a current folder, fedplan run in-process, anything else by bash."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.cwd = home
        self.env = {
            **os.environ,
            "FEDPLAN_TODAY": TODAY,
            "COLUMNS": COLUMNS,
            "NO_COLOR": "1",
            "GIT_CEILING_DIRECTORIES": str(home.parent),
            "GIT_AUTHOR_NAME": "办公室",
            "GIT_AUTHOR_EMAIL": "office@example.org",
            "GIT_COMMITTER_NAME": "办公室",
            "GIT_COMMITTER_EMAIL": "office@example.org",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "init.defaultBranch",
            "GIT_CONFIG_VALUE_0": "main",
            "HOME": str(home),
        }

    def run(self, command: str) -> str:
        if command.startswith("cd "):
            self.cwd = (self.cwd / command[3:].strip()).resolve()
            return ""
        words = shlex.split(command)
        env = dict(self.env)
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # COLUMNS=140 fedplan …
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if words[0] == "fedplan" and "&&" not in words:
            output = self._fedplan(words[1:], env)
        else:
            done = subprocess.run(
                ["bash", "-c", command], cwd=self.cwd, env=self.env, capture_output=True, text=True
            )
            output = done.stdout + done.stderr
        return output.replace(str(self.home), "~")

    def _fedplan(self, args: list[str], env: dict[str, str]) -> str:
        from tests.conftest import cli

        before = Path.cwd()
        os.chdir(self.cwd)
        try:
            result = cli(*args, env=env)
        finally:
            os.chdir(before)
        return result.output


def words(line: str) -> list[str]:
    return line.split()


def line_matches(expected: str, actual: str) -> bool:
    """Every word of ``expected`` in ``actual``, in order (extra words, columns, padding ok).
    A word cut with … (a heading the table shortened) matches any word it begins."""
    rest = words(actual)
    shown = words(expected)
    for number, word in enumerate(shown):
        if word == SKIP:
            continue
        cut = word.endswith(SKIP) or (number + 1 < len(shown) and shown[number + 1] == SKIP)
        word = word.rstrip(SKIP)
        while rest and not (rest[0] == word or (cut and rest[0].rstrip(SKIP).startswith(word))):
            rest.pop(0)
        if not rest:
            return False
        rest.pop(0)
    return True


def mismatch(expected: list[str], actual: str) -> str | None:
    """None when every shown line is found in order in ``actual``; else which one is not."""
    lines = [line for line in actual.splitlines() if line.strip()]
    at = 0
    for shown in expected:
        if not shown.strip() or shown.strip() == SKIP or shown.strip().startswith(SKIP + "（"):
            continue
        while at < len(lines) and not line_matches(shown, lines[at]):
            at += 1
        if at == len(lines):
            return shown
        at += 1
    return None


def walk(home: Path, on_output: object = None) -> list[str]:
    """Run the document's steps in ``home``; the problems found (empty when it holds)."""
    session = Session(home)
    problems: list[str] = []
    for step in steps(DOC.read_text(encoding="utf-8")):
        if step.kind == "file":
            path = session.cwd / step.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, encoding="utf-8")
            continue
        output = session.run(step.command)
        if callable(on_output):
            on_output(step, output)
        if step.kind == "run":
            missing = mismatch(step.expected, output)
            if missing is not None:
                problems.append(
                    f"docs/walkthrough.md:{step.line}: `{step.command}` does not print\n    {missing}\n"
                    f"  it printed:\n" + "\n".join("    " + line for line in output.splitlines())
                )
    return problems


@pytest.mark.skipif(shutil.which("git") is None, reason="the walkthrough keeps its plans in git")
def test_the_walkthrough_prints_what_it_shows(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    problems = walk(home)
    assert not problems, "\n\n".join(problems)


def test_the_comparison_is_strict_about_what_is_shown() -> None:
    printed = "指标   目标   完成\n   农业实用技术妇女骨干培训   300人次   180人次   60%   ● 正常\n得分 71.5 / 100\n"
    assert mismatch(["   农业实用技术妇女骨干培训    300人次  180人次  ● 正常"], printed) is None
    assert mismatch(["农业实用技术妇女骨干培训 300人次 180人次 ● 滞后"], printed) is not None
    assert mismatch(["得分 71.5 / 100", "指标 目标"], printed) is not None  # order counts
    assert mismatch(["指标", "…", "得分 71.5 / 100"], printed) is None


if __name__ == "__main__":  # print what each command prints now
    import tempfile

    def show(step: Step, output: str) -> None:
        print(f"--- docs/walkthrough.md:{step.line}: $ {step.command}")
        sys.stdout.write(output)

    with tempfile.TemporaryDirectory() as folder:
        place = Path(folder) / "home"
        place.mkdir()
        for problem in walk(place, show):
            print("\nMISMATCH " + problem)


def test_fedplan_today_sets_the_day_commands_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from fedplan import dates

    monkeypatch.setenv("FEDPLAN_TODAY", "2026-11-28")
    assert dates.today() == dt.date(2026, 11, 28)
    monkeypatch.setenv("FEDPLAN_TODAY", "not a date")
    assert dates.today() == dt.date.today()
