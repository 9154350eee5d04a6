"""`labcert criteria list` and `labcert criteria check FILE`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, json_option
from labcert.rules import CriteriaError, load_criteria_file, load_registry, run_examples


@click.group()
def criteria() -> None:
    """Inspect and check criteria sets."""


@criteria.command("list")
@json_option
def list_sets(as_json: bool) -> None:
    """List the criteria sets with version, market, effective date and status."""
    registry = load_registry()
    today = date.today()
    rows = [{**cs.summary(), "status": registry.status(cs, today),
             "unconfirmed": sum(1 for c in cs.criteria if not c.confirmed)}
            for cs in registry.all()]
    lines = [f"{r['id']}@{r['version']:<10} {r['status']:<10} from {r['effective_from']}  "
             f"{r['market']} ({r['unconfirmed']} unconfirmed figures)" for r in rows]
    emit(rows, "\n".join(lines), as_json)


@criteria.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def check(file: Path) -> None:
    """Validate a criteria file against the schema and run its examples."""
    try:
        criteria_set = load_criteria_file(file)
    except CriteriaError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    failures = run_examples(criteria_set)
    if failures:
        for failure in failures:
            click.echo(f"{file}: {failure}", err=True)
        raise SystemExit(1)
    draft = " (draft: analysable, not used for evaluations until published)" \
        if criteria_set.status == "draft" else ""
    click.echo(f"OK {criteria_set.ref}{draft}: {len(criteria_set.criteria)} criteria, "
               f"{len(criteria_set.examples)} examples pass")
