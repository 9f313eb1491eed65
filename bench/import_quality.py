"""How well ``fedplan import`` reads real documents, against counts a person made by hand.

    python bench/import_quality.py FOLDER COUNTS.yaml [-v]

FOLDER holds plain-text documents (UTF-8 or GB18030); COUNTS.yaml says, per file name,
what a careful reader sees in it (made *before* running import; docs/import.md):

    01.txt: {kind: plan, year: 2024, sections: 3, items: 11, targets: ["1500人次", "100%"]}

``kind`` is plan, report or proposal, or "report+plan" for a text holding both; ``year``
is null where the text shows none; ``sections`` counts the top-level parts (plan
sections, report parts after the preamble, proposal recommendations); ``items`` the
numbered plan items one level below them; ``targets`` the quantified commitments of the
plan, each as its number and unit.

Each file is imported as ``fedplan import`` would (no --year, no --org) and compared:

- kind right: the kinds of the documents found equal the counted ones (a text split
  into two documents of one kind is wrong);
- year found: over the files with a visible year, every document found has that year;
- sections, items: (counted matches − extra ones found) ÷ counted, summed over files;
- target recall: counted targets found (same number and unit) ÷ counted;
- target precision: found targets that were counted ÷ all targets found.

The table prints each measure beside the issue's goal; -v adds one line per file.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from fedplan.importer import Imported, Options, import_text

GOALS = {
    "document kind right": 1.0,
    "year found where a reader can see it": 1.0,
    "top-level sections found": 0.95,
    "numbered items found": 0.90,
    "quantified targets found (recall)": 0.85,
    "targets that are real commitments (precision)": 0.95,
}


@dataclass
class Tally:
    kind_right: int = 0
    files: int = 0
    year_right: int = 0
    year_files: int = 0
    sections: list[int] = field(default_factory=lambda: [0, 0, 0])  # matched, extra, counted
    items: list[int] = field(default_factory=lambda: [0, 0, 0])
    targets_matched: int = 0
    targets_counted: int = 0
    targets_found: int = 0


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _sections(doc: Imported) -> int:
    if doc.kind == "plan":
        return len(doc.sections)
    if doc.kind == "proposal":
        return len(doc.recommendations)
    return len(doc.parts)


def _target_key(number: float | int, unit: str) -> str:
    value = float(number)
    shown = str(int(value)) if value.is_integer() else str(value)
    return f"{shown}{unit}"


def _add(slot: list[int], found: int, counted: int) -> None:
    slot[0] += min(found, counted)
    slot[1] += max(0, found - counted)
    slot[2] += counted


def measure(folder: Path, counts: dict[str, dict[str, object]], verbose: bool = False) -> Tally:
    tally = Tally()
    for name, want in sorted(counts.items()):
        text = _read(folder / name)
        docs = [o.document for o in import_text(text, source=name, options=Options()).outputs]
        kinds = sorted(str(want["kind"]).split("+"))
        found_kinds = sorted(d.kind for d in docs)
        tally.files += 1
        tally.kind_right += found_kinds == kinds
        year = want.get("year")
        if year is not None:
            tally.year_files += 1
            tally.year_right += bool(docs) and all(d.year == year for d in docs)
        sections = sum(_sections(d) for d in docs)
        _add(tally.sections, sections, int(want.get("sections") or 0))
        items = sum(1 for d in docs if d.kind == "plan" for i in d.items() if i.numbered)
        _add(tally.items, items, int(want.get("items") or 0))
        counted = Counter(str(t).replace("％", "%") for t in (want.get("targets") or []))  # type: ignore[union-attr]
        found = Counter(_target_key(t.found.target, t.found.unit) for d in docs for t in d.targets())
        tally.targets_counted += sum(counted.values())
        tally.targets_found += sum(found.values())
        tally.targets_matched += sum((counted & found).values())
        if verbose:
            print(
                f"{name}: kind {'+'.join(found_kinds) or '-'} (want {'+'.join(kinds)}), "
                f"year {[d.year for d in docs]} (want {year}), sections {sections}/{want.get('sections')}, "
                f"items {items}/{want.get('items')}, targets {sorted(found.elements())} "
                f"(want {sorted(counted.elements())})"
            )
    return tally


def _ratio(numerator: int, denominator: int) -> float:
    return max(0.0, numerator / denominator) if denominator else 1.0


def table(tally: Tally) -> list[tuple[str, float]]:
    return [
        ("document kind right", _ratio(tally.kind_right, tally.files)),
        ("year found where a reader can see it", _ratio(tally.year_right, tally.year_files)),
        ("top-level sections found", _ratio(tally.sections[0] - tally.sections[1], tally.sections[2])),
        ("numbered items found", _ratio(tally.items[0] - tally.items[1], tally.items[2])),
        ("quantified targets found (recall)", _ratio(tally.targets_matched, tally.targets_counted)),
        ("targets that are real commitments (precision)", _ratio(tally.targets_matched, tally.targets_found)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("counts", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    counts = yaml.safe_load(args.counts.read_text(encoding="utf-8"))
    tally = measure(args.folder, counts, args.verbose)
    print(f"{tally.files} texts; {tally.year_files} with a visible year; {tally.sections[2]} sections, "
          f"{tally.items[2]} items, {tally.targets_counted} targets counted by hand")
    print(f"| {'measure':<46} | {'now':>6} | {'goal':>6} |")
    print(f"|{'-' * 48}|{'-' * 8}|{'-' * 8}|")
    for label, value in table(tally):
        goal = GOALS[label]
        goal_text = "100 %" if goal == 1.0 else f"≥ {goal:.0%}".replace("%", " %")
        print(f"| {label:<46} | {value:>5.0%} | {goal_text:>6} |".replace("%", " %", 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
