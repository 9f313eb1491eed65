"""fedplan import: legacy plain-text documents → YAML files under plans/<year>/ (SPEC §7).

Where the files go: ``plans/<year>/plan.yaml``, ``plans/<year>/proposals/<name>.yaml``,
``plans/<year>/reports/<name>.yaml``; a document whose year cannot be known (a proposal
with no date) goes to ``plans/undated/``. ``-o DIR`` takes the place of ``plans/``.

Year and unit: a year written in a document's title (or its signature date) is taken
as stated; ``--year`` gives the year of documents that state none, and otherwise the
importer guesses from the years the text mentions most and marks the guess in a
comment. ``--org`` names the unit of every plan; without it, the unit in the title,
completed from ``fedplan.yaml``'s ``org`` when the title abbreviates it ("区妇联").

Nothing is written unless every file can be: an existing file without ``--force``, two
documents wanting one path, or a document that would not pass ``fedplan validate`` stops
the whole import before the first write; then every file is staged beside its place and
only when all are staged renamed into place, so a file that cannot be written (full disk,
read-only folder) leaves none of them written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from fedplan import model
from fedplan.commands import refuse_impossible_year
from fedplan.diagnostics import Diagnostic, FedplanError, Pos, warning
from fedplan.files import PLANS_DIR, is_repository
from fedplan.fsutil import write_files
from fedplan.importer import ImportResult, Options, Output, import_text
from fedplan.repo import Loaded, load_repository
from fedplan.reporters import diagnostics as report
from fedplan.reporters import files as files_report
from fedplan.reporters.importing import describe, outline
from fedplan.source import looks_like_big5
from fedplan.width import visible

_REMOVED_NAMES = {"pinyin": "拼音注音", "footer": "页脚", "watermark": "网站水印", "furniture": "网页杂项",
                  "chunk": "分享网站的分段编号"}


@dataclass(frozen=True)
class Planned:
    """One file the import will write."""

    path: Path  # absolute
    shown: str  # as printed: relative to the repository root or to the current folder
    output: Output


def _root(app: Any, out_dir: Path | None) -> Path | None:
    """The repository root; without a repository, None if -o says where to write."""
    try:
        return Path(app.root())
    except FedplanError:
        if out_dir is None:
            raise
        return None


def _current(root: Path | None) -> Loaded | None:
    """The repository as it is before the import; None outside one (or in an empty folder)."""
    if root is None or not is_repository(root):
        return None
    return load_repository(root)


def _read_text(path: Path) -> tuple[str, list[Diagnostic]]:
    """The file's text: UTF-8 (with or without BOM), else Big5 or GB18030 with a warning saying which."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FedplanError(f"文件不存在：{path}", code="no-such-file", hint="检查文件名", exit_code=2) from None
    except OSError as exc:
        raise FedplanError(f"无法读取 {path}：{exc.strerror}", code="unreadable-file") from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if looks_like_big5(data):
        text = data.decode("big5")
        return text, [warning(
            Pos(str(path), 1, 1), "import-encoding",
            "文件看起来是 Big5 编码（台湾、香港的繁体中文），已按 Big5 解码；导入的 YAML 一律为 UTF-8。"
            f"若导入的文字是乱码，请先运行 iconv -f GB18030 -t UTF-8 {path} -o {path}.utf8 转换后再导入",
        )]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise FedplanError(
            f"{path} 既不是 UTF-8 也不是 GB18030 编码", code="import-encoding",
            hint="用记事本或 iconv 另存为 UTF-8 后再导入",
        ) from None
    return text, [warning(Pos(str(path), 1, 1), "import-encoding", "文件按 GB18030（GBK）解码；导入的 YAML 一律为 UTF-8")]


def _shown(path: Path, root: Path | None, cwd: Path) -> str:
    for base in (root, cwd):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _check_years(result: ImportResult, source: Path) -> None:
    undated = [o.document for o in result.outputs if o.document.year is None and o.document.kind != "proposal"]
    if undated:
        named = "；".join(f"{source}:{d.line}：第{d.source_number}篇“{d.title}”" for d in undated)
        raise FedplanError(
            f"看不出年度，未写入任何文件：{named}",
            code="import-no-year",
            hint="用 --year 指定年度（文中的年份只出现在网页发布日期等处时，导入不会采用）",
            exit_code=2,
        )


def _validate(
    planned: list[Planned], root: Path | None, current: Loaded | None, settings: model.Settings
) -> list[Diagnostic]:
    """What ``fedplan validate`` would say about the files, before any is written.

    Inside the repository the whole repository is checked with the new files in place
    (duplicate ids, one plan per year, references into a replaced plan); outside it, each
    file on its own.
    """
    plans_dir = (root / PLANS_DIR).resolve() if root is not None else None
    inside = {
        p.shown: p.output.text.encode("utf-8")
        for p in planned
        if plans_dir is not None and p.path.resolve().is_relative_to(plans_dir)
    }
    found: list[Diagnostic] = []
    if inside and root is not None:
        # Errors the new files bring into files already there count too (a replaced plan
        # whose target ids the ledger still names); errors that were there before do not.
        # (load_repository(root) refuses a folder with neither fedplan.yaml nor plans/.)
        before = {d.key() for d in (current or load_repository(root)).diagnostics}
        loaded = load_repository(root, overrides=inside)
        found.extend(d for d in loaded.diagnostics if d.pos.path in inside or d.key() not in before)
    from fedplan.schema import read_document
    from fedplan.source import read

    for p in planned:
        if p.shown in inside:
            continue
        source = read(p.shown, p.output.text.encode("utf-8"))
        found.extend(source.diagnostics)
        if source.node is not None:
            found.extend(read_document(p.shown, source.node, settings)[1])
    return sorted(found)


def _warning_text(diag: Diagnostic, sources: dict[str, list[str]]) -> str:
    """The diagnostic's line, then a short excerpt of the source around its column (legacy
    lines run to a thousand characters, too long to print whole). ``sources``: each file's
    lines, split once (split again for each warning, a file of 15,000 numbered lines and
    as many warnings took minutes)."""
    out = [visible(str(diag))]
    lines = sources.get(diag.pos.path, [])
    if 0 < diag.pos.line <= len(lines):
        line = lines[diag.pos.line - 1]
        start = max(diag.pos.col - 1 - 12, 0)
        excerpt = line[start : diag.pos.col - 1 + 20]
        lead = "…" if start else ""
        caret = " " * report.display_width(visible(lead + line[start : diag.pos.col - 1])) + "^"
        out += [f"  | {visible(lead + excerpt)}", f"  | {caret}"]
    if diag.hint:
        out.append(f"  提示：{visible(diag.hint)}")
    return "\n".join(out)


def _already_there(planned: list[Planned], current: Loaded | None) -> list[str]:
    """Documents of the repository that the import would add again under another name
    (same kind and title): "plans/2012/gongzuo.yaml 与 plans/2012/plan.yaml"."""
    if current is None:
        return []
    titled: list[model.Plan | model.Report | model.Proposal] = [
        *current.repo.plans, *current.repo.reports, *current.repo.proposals
    ]
    found = []
    for p in planned:
        doc = p.output.document
        for old in titled:
            same_kind = type(old).__name__.lower() == doc.kind
            if same_kind and old.title == doc.title and old.path != p.shown:
                found.append(f"{old.path}（“{old.title}”）与将写入的 {p.shown}")
    return found


def run(
    app: Any,
    *,
    files: list[Path],
    year: int | None,
    org: str | None,
    out_dir: Path | None,
    dry_run: bool,
    force: bool,
    kind: str | None = None,
) -> int:
    if year is not None:
        refuse_impossible_year(year, "fedplan import 文件 --year")
    root = _root(app, out_dir)
    current = _current(root)
    settings = current.repo.settings if current is not None else model.Settings()
    options = Options(year=year, org=org, default_org=settings.org, kind=kind)  # type: ignore[arg-type]
    base = out_dir if out_dir is not None else root / PLANS_DIR  # type: ignore[operator]
    planned: list[Planned] = []
    warnings: list[Diagnostic] = []
    sources: dict[str, list[str]] = {}
    removed: dict[str, int] = {}
    for file in files:
        text, problems = _read_text(file)
        sources[str(file)] = text.splitlines()
        result = import_text(text, source=str(file), options=options, script=settings.script)
        if not result.outputs:
            raise FedplanError(f"{file} 中没有可导入的文字", code="import-empty", hint="检查文件是否选对、是否为纯文本")
        _check_years(result, file)
        warnings.extend(problems + result.diagnostics)
        for key, count in result.removed.items():
            removed[key] = removed.get(key, 0) + count
        for output in result.outputs:
            path = base / Path(*output.path.parts)
            planned.append(Planned(path, _shown(path, root, app.cwd), output))

    seen: dict[Path, Planned] = {}
    for p in planned:
        clash = seen.get(p.path.resolve())
        if clash is not None:
            raise FedplanError(
                f"“{clash.output.document.title}”和“{p.output.document.title}”都要写入 {p.shown}",
                code="import-same-path",
                hint="一个年度只能有一份工作要点；分开导入，或用 --year 区分",
            )
        seen[p.path.resolve()] = p
    existing = [p.shown for p in planned if p.path.exists()]
    if existing and not force and not dry_run:
        raise FedplanError(
            f"文件已存在，未写入任何文件：{'、'.join(existing)}",
            code="import-exists",
            hint="加 --force 覆盖，或用 -o 写到别的目录",
        )

    duplicates = _already_there(planned, current)
    if duplicates and not force and not dry_run:
        raise FedplanError(
            f"仓库中已有同一文档，未写入任何文件：{'；'.join(duplicates)}",
            code="import-duplicate",
            hint="已导入过就不必再导入；确要另存一份，加 --force",
        )

    for diag in sorted(warnings):
        click.echo(_warning_text(diag, sources), err=True)
    invalid = [d for d in _validate(planned, root, current, settings) if d.is_error]
    if invalid:
        texts = {p.shown: p.output.text for p in planned}
        click.echo(report.as_text(invalid, texts), err=True, nl=False)
        others = sorted({d.pos.path for d in invalid} - set(texts))
        raise FedplanError(
            "导入结果通不过校验，未写入任何文件",
            code="import-invalid",
            hint=(
                f"导入会使已有的 {'、'.join(others)} 出错（如引用的目标 id 不再存在）；"
                "可用 -o 导入到别处，再手工合并"
                if others
                else "这是 fedplan import 的缺陷，请附上原文件报告"
            ),
        )

    if dry_run:
        for p in planned:
            preview = files_report.import_preview(
                p.shown,
                describe(p.output.document),
                outline(p.output.document),
                p.output.text,
                needs_force=p.path.exists() and not force,
            )
            for line in preview:
                click.echo(line)
    else:
        # Every file is staged before the first is renamed into place: all or none.
        write_files(
            {p.path: p.output.text.encode("utf-8") for p in planned},
            shown={p.path: p.shown for p in planned},
        )
        for p in planned:
            click.echo(files_report.imported(p.shown, describe(p.output.document)))
    cleaned = files_report.cleaned(removed, _REMOVED_NAMES)
    if cleaned:
        click.echo(cleaned)
    return 0
