"""factionmap kb subcommands: import PETRARCH dictionaries, counts, and one actor's record."""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from factionmap.kb.base import KbActor, KbDataError, KnowledgeBase, Tenure, actor_to_record
from factionmap.kb.loading import KB_DIR_ENV, build_kb, user_kb_dir
from factionmap.kb.petrarch import parse_petrarch_actors

app = typer.Typer(no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _write_json_atomic(path: Path, data: object) -> None:
    """Write through a temporary file and rename, so a failed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=0)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the KB directory is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command("import-petrarch")
def import_petrarch(
    files: Annotated[list[Path], typer.Argument(help="PETRARCH/Phoenix .actors.txt files.")],
    into: Annotated[
        Path | None,
        typer.Option("--into", help=f"User KB dir (default ${KB_DIR_ENV} or ./factionmap-kb)."),
    ] = None,
) -> None:
    """Read PETRARCH actor dictionaries into JSON files of the user KB directory."""
    target = into or user_kb_dir()
    for path in files:
        if not path.is_file():
            err.print(f"[red]error[/]: {path}: no such file")
            raise typer.Exit(1)
    for path in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            actors = parse_petrarch_actors(path)
        for w in caught:
            err.print(f"[yellow]warning[/]: {w.message}")
        out = target / f"petrarch-{path.name.removesuffix('.txt')}.json"
        _write_json_atomic(out, [actor_to_record(a) for a in actors])
        console.print(f"{path}: {len(actors)} actors -> {out} ({len(caught)} warnings)")


def _count_table(title: str, counts: Counter[str], limit: int | None = None) -> Table:
    table = Table(title=title)
    table.add_column(title.split()[-1])
    table.add_column("actors", justify="right")
    for value, n in counts.most_common(limit):
        table.add_row(value, str(n))
    return table


@app.command("stats")
def stats(
    top: Annotated[int, typer.Option(help="How many countries to list.")] = 25,
) -> None:
    """Counts of actors by kind, origin and country."""
    kb = _load()
    actors = list(kb.actors.values())
    console.print(f"{len(actors)} actors, {sum(len(a.aliases) for a in actors)} aliases")
    console.print(_count_table("by kind", Counter(a.kind for a in actors)))
    console.print(_count_table("by origin", Counter(a.origin for a in actors)))
    console.print(_count_table("by country", Counter(a.country or "-" for a in actors), top))


def _tie(kb_actors: dict[str, KbActor], tie: Tenure) -> str:
    other = kb_actors.get(tie.actor_id)
    name = other.name if other else tie.actor_id
    span = f"{tie.start or '…'} – {tie.end or '…'}" if tie.start or tie.end else ""
    return " ".join(p for p in (name, f"({tie.title})" if tie.title else "", span) if p)


@app.command("show")
def show(name: Annotated[str, typer.Argument(help="A name, alias or id.")]) -> None:
    """One actor: id, kind, country, aliases, memberships and leaders with dates."""
    kb = _load()
    actor = kb.get(name) or kb.lookup(name)
    score = None
    if actor is None:
        fuzzy = kb.lookup_fuzzy(name)
        if fuzzy is None:
            err.print(f"[red]error[/]: no actor named {name!r}")
            raise typer.Exit(1)
        actor, score = fuzzy
    table = Table(title=actor.name + (f" (fuzzy match, {score:.0f})" if score else ""))
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("id", actor.id)
    table.add_row("kind", actor.kind)
    table.add_row("country", actor.country or "")
    table.add_row("origin", actor.origin)
    table.add_row("aliases", ", ".join(actor.aliases))
    table.add_row("member of", "\n".join(_tie(kb.actors, t) for t in actor.member_of))
    table.add_row("leaders", "\n".join(_tie(kb.actors, t) for t in actor.leaders))
    led = [
        f"{a.name} ({t.title or 'leader'}) {t.start or '…'} – {t.end or '…'}"
        for a in kb.actors.values()
        for t in a.leaders
        if t.actor_id == actor.id
    ]
    if led:
        table.add_row("leads", "\n".join(led))
    if actor.codes:
        table.add_row(
            "codes", "\n".join(f"{c.code} {c.start or '…'} – {c.end or '…'}" for c in actor.codes)
        )
    if actor.wikidata:
        table.add_row("wikidata", actor.wikidata)
    others = [a.id for a in kb.lookup_all(name) if a.id != actor.id]
    if others:
        table.add_row("same name", ", ".join(others))
    console.print(table)


def _load() -> KnowledgeBase:
    # Built fresh rather than default_kb(): a dictionary imported a moment ago must show.
    try:
        return build_kb()
    except KbDataError as exc:
        err.print(f"[red]error[/]: {exc}")
        raise typer.Exit(1) from exc
