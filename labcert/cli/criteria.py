"""`labcert criteria list` and `labcert criteria check FILE`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.errors import DomainError
from labcert.rules import CriteriaError, load_criteria_file, load_registry, run_examples
from labcert.runtime import service_settings
from labcert.services import impact


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


def impact_text(report: dict[str, Any]) -> str:
    """Return the report for people: counts, then each certificate that is not unaffected."""
    counts = ", ".join(f"{n} {impact.LABELS[k]}" for k, n in report["counts"].items())
    changes = report["changes"]
    lines = [f"{report['criteria_set']} ({report['status']}, from {report['effective_from']}): "
             f"{report['total']} certificates in force: {counts}",
             "changes: " + "; ".join(f"{k} {', '.join(v) or '-'}" for k, v in changes.items())]
    for item in report["certificates"]:
        if item["impact"] == impact.UNAFFECTED:
            continue
        lines.append(f"{item['number']}  {item['impact']:<18} {item['holder']}, "
                     f"{item['product']}")
        lines += [f"    {reason}" for reason in item["reasons"]]
    return "\n".join(lines)


@criteria.command("impact")
@click.argument("ref")
@json_option
@with_appcontext
def impact_command(ref: str, as_json: bool) -> None:
    """Show which in-force certificates the version REF (id@version, drafts too) touches."""
    today = service_settings().today()
    try:
        criteria_set = impact.find_version(ref, today)
    except DomainError as error:
        fail(error)
    with click.progressbar(length=1, label=f"Re-judging {criteria_set.ref}", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = impact.analyse(criteria_set, today, progress=progress)
    emit(report, impact_text(report), as_json)
