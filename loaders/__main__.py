"""Command line: ``python -m loaders {refresh,list,validate} ...``; ``--help`` on each says more."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import catalog as series_catalog
from . import events, store
from .errors import LoaderError
from .http import MIRROR_ENV, Http
from .metadata import read_catalog
from .refresh import summary, timed_refresh


def cmd_refresh(args: argparse.Namespace) -> int:
    http = Http(mirror=args.mirror)
    outcomes, seconds = timed_refresh(targets=args.targets, data_dir=args.data_dir, http=http)
    print(summary(outcomes, seconds))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def cmd_list(args: argparse.Namespace) -> int:
    cat = series_catalog(args.data_dir)
    print(f"{'series id':<52} {'source':<17} {'freq':<8} {'coverage':<23} {'ctry':>4}  retrieved (UTC)")
    for row in cat.itertuples():
        coverage = f"{row.first_date} – {row.last_date}" if row.first_date else "no snapshot yet"
        print(
            f"{row.id:<52} {row.source:<17} {row.frequency:<8} {coverage:<23} {len(row.countries):>4}  "
            f"{row.retrieved_at or '-'}"
        )
    print(f"{len(cat)} series; units and licences: python -m loaders list --long")
    if args.long:
        for row in cat.itertuples():
            print(f"\n{row.id}\n  {row.title_en} [{row.unit_en}]\n  {row.publisher}, {row.code}; {row.licence}")
            print(f"  {row.canonical_url}\n  {row.citation}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    cat = read_catalog(args.data_dir)
    problems = [p for sid in cat.series for p in store.snapshot_problems(cat.path.parent, cat, sid)]
    events_path, claims_path = cat.path.parent / "events.yaml", cat.path.parent / "claims.yaml"
    if events_path.exists() or claims_path.exists():
        event_problems, notes = events.validate_catalogues(set(cat.series), args.seeds, events_path, claims_path)
        problems += event_problems
    else:
        notes = [f"no events.yaml or claims.yaml in {cat.path.parent}: event layer not checked"]
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"{len(cat.series)} series, events and claims checked: {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="Venezuela dashboard data: refresh and check."
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default: the project's data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh", help="fetch series from their publishers and update the snapshots")
    p.add_argument("targets", nargs="*", metavar="SERIES_OR_SOURCE", help="series ids or source names (default: all)")
    p.add_argument(
        "--mirror",
        default=os.environ.get(MIRROR_ENV),
        help=f"send every request to this base URL, keeping host/path/query (env {MIRROR_ENV})",
    )
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser("list", help="every series with source, coverage and retrieval time")
    p.add_argument("--long", action="store_true", help="also titles, units, licences and citations")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("validate", help="check snapshots against sidecars and catalog; check events and claims")
    p.add_argument("--seeds", type=Path, default=events.SEEDS_DIR, help="folder of the two source documents")
    p.set_defaults(func=cmd_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except LoaderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
