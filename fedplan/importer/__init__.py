"""Legacy plain text → YAML documents (SPEC §7): clean → split → structure → targets → emit.

Pure: takes text, returns documents, their YAML and diagnostics. The command
(fedplan.commands.import_) reads the files, decides where to write and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from fedplan.diagnostics import Diagnostic, Pos, codes, warning
from fedplan.importer.clean import MISSING, clean, to_script
from fedplan.importer.documents import Imported, Options, build
from fedplan.importer.emit import to_yaml
from fedplan.importer.naming import file_slug
from fedplan.importer.structure import (
    Kind,
    RawDocument,
    document_kind,
    split_documents,
    split_report_plan,
)

# The warnings fedplan import gives about the file it converts (fedplan.diagnostics.REGISTRY);
# import-encoding is given by the command, which decodes the file.
CODES = codes("mojibake", "mojibake-repaired", "import-encoding", "import-no-sections", "import-numbering")

__all__ = ["ImportResult", "Imported", "Options", "Output", "import_text"]

UNDATED = "undated"


@dataclass(frozen=True)
class Output:
    """One file to write: where (relative to the plans folder) and what."""

    path: PurePosixPath
    document: Imported
    text: str


@dataclass
class ImportResult:
    outputs: list[Output] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)


def _place(doc: Imported, used: set[str]) -> PurePosixPath:
    year = str(doc.year) if doc.year is not None else UNDATED
    if doc.kind == "plan":
        return PurePosixPath(year, "plan.yaml")
    if doc.kind == "report":
        return PurePosixPath(year, "reports", f"{doc.id}.yaml")
    return PurePosixPath(year, "proposals", f"{file_slug(doc.title, used, f'proposal-{doc.source_number}')}.yaml")


def import_text(text: str, *, source: str, options: Options, script: str = "hans") -> ImportResult:
    """Every document in ``text`` (the content of the file ``source``) as YAML to write."""
    cleaned = clean(text, script=script)
    result = ImportResult(removed=dict(cleaned.removed))
    # A repair is in the source's script; messages show it in the repository's.
    repaired = {
        spot: to_script(spot.repair, script, source=cleaned.source_script)
        for spot in cleaned.mojibake
        if spot.repair
    }
    for spot in cleaned.mojibake:
        pos = Pos(source, spot.line, spot.col)
        if spot.repair:
            result.diagnostics.append(warning(
                pos, "mojibake-repaired",
                f"乱码“{spot.debris}”按上下文修复为“{repaired[spot]}”，请核对",
            ))
        else:
            result.diagnostics.append(warning(
                pos, "mojibake",
                f"乱码“{spot.debris}”无法确定原字，已在文中以“{MISSING}”标出",
                hint="请对照原件补正",
            ))
    used_slugs: set[str] = set()
    parts: list[tuple[RawDocument, Kind]] = []
    for raw in split_documents(cleaned.lines):
        kind = options.kind or document_kind(raw)
        report, plan = split_report_plan(raw) if kind == "report" and options.kind is None else (raw, None)
        parts.append((report, kind))
        if plan is not None:
            parts.append((plan, "plan"))
    for raw, kind in parts:
        doc, notices = build(raw, kind, options, used_slugs)
        if raw.dropped:
            doc.notes.append("略去原文正文前的网页文字：" + "、".join(f"“{t}”" for t in raw.dropped))
        last = raw.lines[-1].number if raw.lines else raw.start
        for spot in (s for s in cleaned.mojibake if raw.start <= s.line <= last):
            if spot.repair:
                doc.notes.append(f"第{spot.line}行乱码“{spot.debris}”按上下文修复为“{repaired[spot]}”，请核对")
            else:
                doc.notes.append(
                    f"第{spot.line}行有乱码“{spot.debris}”无法修复，文中以“{MISSING}”标出，请对照原件补正"
                )
        for notice in notices:
            result.diagnostics.append(warning(Pos(source, notice.line, 1), notice.code, notice.message))
        result.outputs.append(Output(_place(doc, used_slugs), doc, to_yaml(doc, source)))
    result.diagnostics.sort()
    return result
