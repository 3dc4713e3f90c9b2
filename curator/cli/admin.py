"""`curator db …` and `curator reprocess`."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app, progress_bar
from curator.errors import UsageError
from curator.process import reprocess_all
from curator.store.engine import Store, connect_store, safe_url, schema_revisions, upgrade_schema


@click.group()
def db() -> None:
    """Create or migrate the database."""


def _bare_store(app: App) -> Store:
    return connect_store(app.config.database.url)


@db.command()
@pass_app
def upgrade(app: App) -> None:
    """Create the database, or migrate it to this version's schema.

    \b
    Examples:
      curator db upgrade
      CURATOR_DATABASE_URL=postgresql://curator@db/curator curator db upgrade
    """
    store = _bare_store(app)
    try:
        before, head = schema_revisions(store)
        upgrade_schema(store)
    finally:
        store.dispose()
    url = safe_url(app.config.database.url)
    if before == head:
        click.echo(f"{url} is already at {head}", err=True)
    else:
        click.echo(f"{url}: {before or 'empty'} → {head}", err=True)


@db.command()
@pass_app
def current(app: App) -> None:
    """Print the database's schema revision and the newest one this version knows.

    \b
    Examples:
      curator db current
    """
    store = _bare_store(app)
    try:
        now, head = schema_revisions(store)
    finally:
        store.dispose()
    click.echo(f"{now or 'empty'} (head {head})")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a summary object.")
@pass_app
def reprocess(app: App, as_json: bool) -> None:
    """Re-run understanding over all stored raw mail, keeping editors' decisions.

    \b
    Examples:
      curator reprocess
    """
    with progress_bar("Reprocessing", True) as update:
        report = reprocess_all(app.store(), app.config.questions, progress=update)
    data = {"processed": report.processed, "responses": report.responses, "failed": report.failed}
    if as_json:
        echo_json(data)
    else:
        click.echo(
            f"Reprocessed {report.processed} messages: {report.responses} responses, "
            f"{report.failed} failed.",
            err=True,
        )


@click.command()
@click.option("--question", "slugs", multiple=True, help="Only this question (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a summary object.")
@pass_app
def retag(app: App, slugs: tuple[str, ...], as_json: bool) -> None:
    """Refit the tagger on editors' corrections and re-tag the model's tags.

    Editors' own tags are never touched. Poll and import tag new replies by themselves;
    run this after correcting tags to update everything else at once.

    \b
    Examples:
      curator retag
      curator retag --question russian-draft-dodgers --json
    """
    from curator.store.processing import sync_questions
    from curator.tagstage import retag_question

    questions = [q for q in app.config.questions if not slugs or q.slug in slugs]
    unknown = set(slugs) - {q.slug for q in app.config.questions}
    if unknown:
        raise UsageError(f"no question {sorted(unknown)[0]!r} — check [[questions]] in the config")
    store = app.store()
    with store.transaction() as session:
        ids = sync_questions(session, app.config.questions)
    reports = [retag_question(store, q, ids) for q in questions if q.positions]
    if as_json:
        echo_json([r.__dict__ for r in reports])
        return
    for r in reports:
        click.echo(
            f"{r.question}: re-tagged {r.retagged} responses from {r.corrections} editor "
            f"corrections in {r.seconds:.1f} s",
            err=True,
        )
