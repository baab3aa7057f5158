"""The ``geomap`` command line: the only module that imports click.

Commands stay thin: each parses options, calls one library function, and turns a
``GeomapError`` into a one-line message and a non-zero exit. Heavy libraries are imported inside
the commands that need them, so ``geomap --help`` and ``geomap validate`` start fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__
from .errors import GeomapError, ValidationError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(message: str, code: int = 1):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def reports_errors(command):
    """Turn geomap's own errors into a clean message and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            errors = sum(p.severity == "error" for p in exc.problems)
            _fail(f"{errors} error{'s' * (errors != 1)} in the data; nothing written")
        except GeomapError as exc:
            _fail(str(exc))

    return wrapper


data_option = click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory holding places.csv, sources.csv and events.csv.",
)


def filter_options(command):
    """The selection options shared by render, export and stats."""
    options = [
        click.option("--year", "years", multiple=True, metavar="YYYY[-YYYY]",
                     help="Keep events in this year or range of years (repeatable)."),
        click.option("--since", metavar="DATE",
                     help="Keep events that end on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--until", metavar="DATE",
                     help="Keep events that start on or before DATE."),
        click.option("--actor", "actors", multiple=True, metavar="NAME",
                     help="Keep events involving this actor (repeatable; accents, case ignored)."),
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     help="Keep events of this kind (repeatable): shipment, flight, visit, …"),
        click.option("--confidence", metavar="LEVEL",
                     help="Keep events at this confidence or higher "
                          "(alleged < reported < confirmed)."),
        click.option("--place", "places", multiple=True, metavar="PLACE",
                     help="Keep events that touch this place (id, name or alias; repeatable)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class _Progress:
    """A progress bar on stderr for work that takes a while, only when stderr is a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int):
        if total < 2 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _criteria(years, since, until, actors, kinds, confidence, places):
    from .filters import Criteria

    return Criteria.from_options(
        years=years, since=since, until=until, actors=actors, kinds=kinds,
        confidence=confidence, places=places,
    )


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="geomap")
def cli():
    """Map documented Iran–Venezuela cooperation from sourced CSV records.

    Records live in data/ (events.csv, places.csv, sources.csv); `geomap render`
    turns them into an interactive HTML map in which every feature cites its sources.
    """


@cli.command(context_settings=CONTEXT)
@data_option
@click.option("--output", "-o", default="maps/index.html", show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--title", default=None, help="Title shown above the map.")
@click.option("--tiles", default=None, metavar="NAME",
              help="Tiled basemap, an xyzservices name such as OpenStreetMap.Mapnik "
                   "[default: Esri.WorldGrayCanvas; none with --self-contained]; "
                   "'none' draws only the offline country outlines.")
@click.option("--self-contained", is_flag=True,
              help="Inline every script, style and image: one file that needs no network.")
@filter_options
@reports_errors
def render(data_dir, output, title, tiles, self_contained, **filters):
    """Render the events to an interactive HTML map."""
    from .pipeline import render_map

    summary = render_map(
        data_dir, output, title=title, tiles=tiles, criteria=_criteria(**filters),
        self_contained=self_contained, progress=_Progress("Routing"),
    )
    click.echo(
        f"wrote {summary.path}: {summary.events} events from {summary.sources} sources "
        f"({summary.size / 1024:,.0f} KiB)"
    )


@cli.command(context_settings=CONTEXT)
@data_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@reports_errors
def validate(data_dir, strict):
    """Check the data against every rule and list all problems as file:line."""
    from .load import load_dataset
    from .validate import check

    dataset = load_dataset(data_dir)
    problems = check(dataset)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = ", ".join(f"{len(t.rows)} {name.removesuffix('.csv')}"
                       for name, t in dataset.tables().items())
    click.echo(
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {data_dir} ({counts})"
    )
    if errors or (strict and warnings):
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@data_option
@click.argument("query", required=False, default="")
@click.option("--limit", default=10, show_default=True, help="At most this many places.")
@reports_errors
def places(data_dir, query, limit):
    """Search the gazetteer by id, name or alias (fuzzy; accents and case ignored)."""
    from .gazetteer import Gazetteer
    from .load import read_table
    from .schema import PLACES_FILE

    table = read_table(Path(data_dir) / PLACES_FILE)
    found = Gazetteer.from_rows(table.rows).search(query, limit=limit if query else 10_000)
    if not found:
        _fail(f"no place matches {query!r}")
    width = max(len(p.id) for p in found)
    for place in found:
        click.echo(
            f"{place.id:<{width}}  {place.name} ({place.kind}, {place.country})  "
            f"{place.lat:.4f},{place.lon:.4f}"
        )


@cli.command(context_settings=CONTEXT)
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@filter_options
@reports_errors
def stats(data_dir, fmt, **filters):
    """Count events by year and kind, actor and confidence, and the sources they cite."""
    from .pipeline import event_stats

    click.echo(event_stats(data_dir, fmt, criteria=_criteria(**filters)))


@cli.command(context_settings=CONTEXT)
@data_option
@click.option("--format", "fmt", type=click.Choice(["geojson", "gpkg", "kml", "csv"]),
              required=True, help="GeoJSON (RFC 7946), GeoPackage, KML, or CSV with WKT.")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="File to write, or - for standard output (geojson and csv).")
@filter_options
@reports_errors
def export(data_dir, fmt, output, **filters):
    """Export the events for GIS tools (QGIS, GDAL, Google Earth)."""
    from .pipeline import export_events

    path, count = export_events(
        data_dir, fmt, output, criteria=_criteria(**filters), progress=_Progress("Routing")
    )
    if path is not None:
        click.echo(f"wrote {path}: {count} events", err=False)


@cli.command(context_settings=CONTEXT)
@data_option
@click.option("--date", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--end-date", "end_date", metavar="DATE", help="Last day of a span, if any.")
@click.option("--kind", required=True, metavar="KIND",
              help="shipment, flight, visit, seizure, statement, agreement, payment, appointment.")
@click.option("--title", required=True, help="A short title.")
@click.option("--places", required=True, metavar="STOPS",
              help="Stops in travel order, 'origin > destination'; ids, names or 'lat,lon'.")
@click.option("--sources", required=True, metavar="IDS", help="Source ids, ';'-separated.")
@click.option("--confidence", required=True, metavar="LEVEL",
              help="confirmed, reported or alleged (see data/README.md).")
@click.option("--actors", default="", metavar="NAMES", help="Actors, ';'-separated.")
@click.option("--summary", default="", help="One or two sentences in your own words.")
@click.option("--evidence", default="", help="A short verbatim quote from the source.")
@click.option("--carrier", default="", help="Vessel or aircraft/operator, when known.")
@click.option("--id", "event_id", default="", help="Event id (default: from date and title).")
@click.option("--dry-run", is_flag=True, help="Validate and print the row; write nothing.")
@reports_errors
def add(data_dir, dry_run, event_id, **values):
    """Append one event to events.csv after validating it with the whole dataset."""
    from .append import add_event

    row, line, warnings = add_event(data_dir, {"id": event_id, **values}, dry_run=dry_run)
    for problem in warnings:
        click.echo(str(problem), err=True)
    target = Path(data_dir) / "events.csv"
    if dry_run:
        click.echo(row, nl=False)
        click.echo(f"(dry run: would be {target}:{line}; nothing written)", err=True)
    else:
        click.echo(f"added {target}:{line}: {row.split(',', 1)[0]}")


@cli.command("fetch-assets", context_settings=CONTEXT)
@click.option("--npm", is_flag=True,
              help="Take the files from the npm registry's packages instead of the CDN.")
@reports_errors
def fetch_assets(npm):
    """Download the pinned scripts and styles for --self-contained maps, verifying checksums."""
    from .assets import cache_dir, fetch_all

    paths = fetch_all(npm=npm)
    click.echo(f"{len(paths)} pinned assets verified in {cache_dir()}")


def _pairs(values, option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not FIELD=VALUE", param_hint=option)
        pairs[name.strip()] = text
    return pairs


@cli.command("import", context_settings=CONTEXT)
@click.argument("src", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, type=click.Path(file_okay=False),
              help="New or empty data directory to write.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Read a field from a column, or a template such as "
                   "'actors={actor1}; {actor2}' (repeatable). Fields: id, date, end_date, kind, "
                   "title, summary, actors, place, lat, lon, wkt, url, evidence, confidence, "
                   "carrier. Common column names are detected.")
@click.option("--preset", type=click.Choice(["acled"]), help="Column mapping of a known export.")
@click.option("--places", "places_file", type=click.Path(dir_okay=False),
              help="Gazetteer (places.csv) resolving a place-name column "
                   "[default: a places.csv already in the --to directory, kept whole].")
@click.option("--set", "constants", multiple=True, metavar="FIELD=VALUE",
              help="Give every row this kind, date, end_date, carrier or actors (repeatable); "
                   "only what you know to be true of every row.")
@click.option("--confidence", metavar="LEVEL",
              help="Give every row this confidence (confirmed, reported, alleged) "
                   "[default: empty, not assessed].")
@click.option("--date-format", metavar="FORMAT",
              help="strptime format for dates geomap cannot read unaided, e.g. %d/%m/%Y.")
@click.option("--source-title", help="Title of the dataset as a source [default: file name].")
@click.option("--source-url", metavar="URL", help="Where the dataset is published.")
@click.option("--licence", metavar="NAME", help="The dataset's licence, e.g. CC-BY-4.0.")
@click.option("--title", help="Title of the map [default: --source-title].")
@click.option("--description", help="What the dataset holds.")
@click.option("--citation", help="How to cite the dataset.")
@click.option("--route", type=click.Choice(["sea", "air"]),
              help="Draw the events as routes through their stops: by sea lanes or as "
                   "geodesic arcs (rows with one stop are skipped).")
@click.option("--encoding", metavar="NAME",
              help="Text encoding of a CSV that is not UTF-8, e.g. latin-1.")
@click.option("--layer", metavar="NAME", help="Layer of a GeoPackage [default: the first].")
@click.option("--show", "limit", default=20, show_default=True,
              help="List at most this many skipped rows.")
@click.option("--force", is_flag=True, help="Replace a dataset already in the directory.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@reports_errors
def import_(src, target, maps, constants, confidence, limit, **options):
    """Import a CSV, GeoJSON or GeoPackage into a new data directory.

    Rows that cannot be imported are listed as file:line with the reason; the rest import,
    and the written directory passes `geomap validate`.
    """
    from .importer import import_dataset

    constants = _pairs(constants, "--set")
    if confidence:
        constants["confidence"] = confidence
    summary = import_dataset(
        src, target, mapping=_pairs(maps, "--map"), constants=constants, **options
    )
    *details, last = summary.lines(limit=limit)
    for line in details:
        click.echo(line, err=True)
    click.echo(last + (" (dry run: nothing written)" if options["dry_run"] else ""))
