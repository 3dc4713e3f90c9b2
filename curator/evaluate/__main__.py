"""``python -m curator.evaluate [--corpora DIR] [--only NAME] [--json] [--verbose]``."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from curator.argtypes import choice_list
from curator.evaluate.report import Section

# Section modules, in the order they are printed. Each has evaluate(corpora: Path) -> Section.
SECTIONS: tuple[str, ...] = (
    "curator.evaluate.reply",
    "curator.evaluate.kinds",
    "curator.evaluate.signal",
    "curator.evaluate.tagging",
)


def default_corpora() -> Path:
    env = os.environ.get("CURATOR_CORPORA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/eval", description=__doc__)
    parser.add_argument("--corpora", type=Path, default=default_corpora())
    names = [n.rsplit(".", 1)[1] for n in SECTIONS]
    parser.add_argument(
        "--only",
        action="extend",
        default=[],
        type=choice_list(names, "section"),
        metavar="NAME[,NAME]",
        help=f"run only these sections: {', '.join(names)} (repeatable, or comma-separated)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    if not args.corpora.is_dir():
        message = f"corpora folder {args.corpora} is absent"
        if os.environ.get("CI") == "true":
            print(f"Error: {message} — under CI=true the evaluation must run", file=sys.stderr)
            return 1
        print(f"Skipped: {message} (set CURATOR_CORPORA)", file=sys.stderr)
        return 0

    sections: list[Section] = []
    for name in SECTIONS:
        short = name.rsplit(".", 1)[1]
        if args.only and short not in args.only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # section not written yet
        sections.append(module.evaluate(args.corpora))

    if args.json:
        print(json.dumps([asdict(s) for s in sections], indent=2, ensure_ascii=False))
    else:
        for section in sections:
            print(f"\n## {section.title}")
            width = max((len(f.name) for f in section.figures), default=10)
            for f in section.figures:
                floor = "" if f.floor is None else f"  (floor {f.floor:.2f})"
                mark = "ok " if f.passed else "LOW"
                print(f"  {mark} {f.name:<{width}}  {f.value:7.3f}  {f.detail}{floor}")
            for note in section.notes:
                print(f"      {note}")
    failed = [f.name for s in sections for f in s.figures if not f.passed]
    if failed:
        print(f"\nBelow floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
