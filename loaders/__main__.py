"""Command line: ``python -m loaders {refresh,list,validate,add} ...``; ``--help`` on each says more."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import catalog as series_catalog
from . import events, settings, store, stories
from .errors import LoaderError
from .http import MIRROR_ENV, Http
from .metadata import read_catalog, template_problems, translation_problems
from .refresh import DEFAULT_DEADLINE_S, summary, timed_refresh
from .sources import derived


def cmd_refresh(args: argparse.Namespace) -> int:
    http = Http(mirror=args.mirror)
    outcomes, seconds = timed_refresh(
        targets=args.targets, data_dir=args.data_dir, http=http, deadline=args.deadline, allow_shrink=args.allow_shrink
    )
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
    problems = template_problems(cat.sources) + translation_problems(cat.path)
    problems += [p for sid in cat.series for p in store.snapshot_problems(cat.path.parent, cat, sid)]
    events_path, claims_path = cat.path.parent / "events.yaml", cat.path.parent / "claims.yaml"
    if events_path.exists() or claims_path.exists():
        event_problems, notes = events.validate_catalogues(
            set(cat.series), args.seeds or settings.seeds_dir(), events_path, claims_path
        )
        problems += event_problems
    else:
        notes = [f"no events.yaml or claims.yaml in {cat.path.parent}: event layer not checked"]
    problems += derived.problems(cat.path.parent, cat.series)
    stories_dir = cat.path.parent / "stories"
    if stories_dir.is_dir():
        event_ids = set(events.load_events(events_path)["id"]) if events_path.exists() else set()
        problems += stories.read_stories(stories_dir, catalog=cat.series, event_ids=event_ids)[1]
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"{len(cat.series)} series, events, claims and stories checked: {len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_add(args: argparse.Namespace) -> int:
    from .add import AddRequest, add_series

    fields = ("series_id", "unit", "title", "title_es", "description", "description_es", "frequency", "topic") + (
        "publisher",
        "licence",
        "licence_url",
        "citation",
        "url",
        "sheet",
        "allow_same_code",
    )
    request = AddRequest(args.source, args.code, args.country or [], **{f: getattr(args, f) for f in fields})
    result = add_series(request, data_dir=args.data_dir, http=Http(mirror=args.mirror), dry_run=args.dry_run)
    print(result.report)
    return 0


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
    p.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE_S,
        metavar="SECONDS",
        help=f"stop asking publishers after this many seconds; series not done keep their snapshot "
        f"(default {DEFAULT_DEADLINE_S:g})",
    )
    p.add_argument(
        "--allow-shrink",
        action="store_true",
        help="write an answer even if it loses more than 10%% of a series' rows or its earliest dates",
    )
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser("list", help="every series with source, coverage and retrieval time")
    p.add_argument("--long", action="store_true", help="also titles, units, licences and citations")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("validate", help="check snapshots against sidecars and catalog; check events and claims")
    p.add_argument("--seeds", type=Path, default=None, help="folder of the two source documents ($DASHBOARD_SEEDS)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser(
        "add",
        help="add a series: check the code upstream (or the file in data/local/), write its snapshot and catalog entry",
        description="Add one series to the catalog and write its snapshot; nothing is written if any check fails. "
        "Examples: `python -m loaders add worldbank SP.POP.GROW --country VEN --country COL`; "
        "`python -m loaders add local my_series.csv --title 'My series' --unit pct --publisher 'Who' "
        "--licence 'CC BY 4.0' --citation 'Who (2025), My series.'`. Guide: docs/adding-a-dataset.md",
    )
    p.add_argument("source", metavar="SOURCE", help="a source of the catalog: worldbank, imf, fred, unhcr, local, ...")
    p.add_argument(
        "code", metavar="CODE", help="the publisher's code (e.g. SP.POP.GROW), or a file name in data/local/"
    )
    p.add_argument(
        "--country",
        action="append",
        metavar="ISO3",
        help="a country (repeatable); default VEN (world prices: WLD); a local file: its 'country' column, or VEN "
        "without one",
    )
    p.add_argument("--id", dest="series_id", help="the series id (default: from the title, source and unit)")
    p.add_argument("--unit", help="a unit key of the catalog (default: read from the publisher's title)")
    p.add_argument("--title", help="English title (default: the publisher's)")
    p.add_argument("--title-es", help="Spanish title (default: the English one, to translate)")
    p.add_argument("--description", help="English description (default: built from the title)")
    p.add_argument("--description-es", help="Spanish description")
    p.add_argument("--frequency", choices=("daily", "monthly", "annual"), help="default: from the dates")
    p.add_argument("--topic", help="topic key, e.g. gdp, inflation, migration, society (default: guessed)")
    p.add_argument("--publisher", help="local files: who published the numbers")
    p.add_argument("--licence", help="local files: the licence, e.g. 'CC BY 4.0'")
    p.add_argument("--licence-url", help="local files: a link to the licence terms")
    p.add_argument("--citation", help="local files: how to cite the numbers")
    p.add_argument("--url", help="local files: where the numbers were published (https://...)")
    p.add_argument("--sheet", help="local .xlsx files: the sheet to read (default: the first)")
    p.add_argument("--allow-same-code", action="store_true", help="add a code the catalog already has, under a new id")
    p.add_argument("--dry-run", action="store_true", help="check everything and print the entry; write nothing")
    p.add_argument(
        "--mirror",
        default=os.environ.get(MIRROR_ENV),
        help=f"send every request to this base URL, keeping host/path/query (env {MIRROR_ENV})",
    )
    p.set_defaults(func=cmd_add)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except LoaderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a missing, unreadable or unwritable data folder: say which file, not a traceback
        where = e.filename or args.data_dir or "the data folder"
        hint = " (is --data-dir the folder that holds catalog.yaml?)" if isinstance(e, FileNotFoundError) else ""
        print(f"error: {where}: {e.strerror or e}{hint}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
