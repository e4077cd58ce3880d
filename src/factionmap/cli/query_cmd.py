"""factionmap commands that read the store: actors, actor, relations, events, map, export."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from factionmap.analysis.queries import MAX_LIMIT
from factionmap.store.models import Actor, EventFact, RelationFact

err = Console(stderr=True)


class _Out:
    """A console made at print time, so it sees the terminal width (``COLUMNS``) of this run.

    Store data (names, sentences) is printed as written: no console markup, no emoji codes.
    """

    def print(self, *objects: object) -> None:
        Console(markup=False, emoji=False, highlight=False).print(*objects)


out = _Out()

# The query layer returns at most MAX_LIMIT rows; a larger --limit is refused, not cut.
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT,
                                    help="At most this many rows.")]
MinOutlets = Annotated[int, typer.Option("--min-outlets", min=1, max=1000,
                                         help="Only facts at least this many independent "
                                              "outlets report.")]


def _reports(c) -> str:  # type: ignore[no-untyped-def]
    """An 'outlets' cell: how many, first and last report, and whether reports disagree."""
    span = _when(c.first_reported)
    if c.last_reported and c.last_reported != c.first_reported:
        span += f"..{_when(c.last_reported)}"
    return f"{c.outlets} {span}".strip() + (" CONTESTED" if c.contested else "")


def _store():  # type: ignore[no-untyped-def]
    from factionmap.cli.store_cmd import open_cli_store

    return open_cli_store()


def _find(session, name: str) -> Actor:  # type: ignore[no-untyped-def]
    from factionmap.analysis.queries import find_actor

    actor = find_actor(session, name)
    if actor is None:
        err.print(Text.assemble(("error:", "red"), f" no actor matches {name!r}"))
        raise typer.Exit(1)
    return actor


def _when(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _relation_table(title: str, rows: list[RelationFact], names: dict[int, str],
                    seen: dict | None = None) -> Table:  # type: ignore[type-arg]
    table = Table(title=title, show_lines=True, title_justify="left")
    columns = ("subject", "relation", "object", "evidence", "modality", "document")
    for column in columns + (("outlets",) if seen is not None else ()):
        table.add_column(column, overflow="fold")
    for r in rows:
        label = r.type + (f" ({r.role})" if r.role else "") + (" [former]" if r.is_former else "")
        if r.valid_phrase:
            label += f" — {r.valid_phrase}"
        cells = [
            names.get(r.subject_actor_id or -1, r.subject_text),
            label,
            names.get(r.object_actor_id or -1, r.object_text),
            r.sentence_text,
            r.modality + (f" ({r.attributed_to})" if r.attributed_to else ""),
            f"{r.document_id[:12]} {_when(r.reported_at)}",
        ]
        if seen is not None:
            cells.append(_reports(seen[r.id]))
        table.add_row(*cells)
    return table


def _event_table(title: str, rows: list[EventFact], names: dict[int, str],
                 seen: dict | None = None) -> Table:  # type: ignore[type-arg]
    table = Table(title=title, show_lines=True, title_justify="left")
    columns = ("date", "source", "event", "target", "place", "evidence", "modality", "doc")
    for column in columns + (("outlets",) if seen is not None else ()):
        table.add_column(column, overflow="fold")
    for e in rows:
        extra = [_reports(seen[e.id])] if seen is not None else []
        table.add_row(
            _when(e.date or e.reported_at) + ("" if e.date else " (reported)"),
            names.get(e.source_actor_id or -1, ""),
            f"{e.type} {e.cameo} ({e.goldstein:+.1f})",
            names.get(e.target_actor_id or -1, ""),
            e.location_name or "",
            e.sentence_text,
            e.modality,
            e.document_id[:12],
            *extra,
        )
    return table


def _names_for(session, rows) -> dict[int, str]:  # type: ignore[no-untyped-def]
    from factionmap.analysis.queries import actor_names

    ids: set[int | None] = set()
    for row in rows:
        if isinstance(row, RelationFact):
            ids.update((row.subject_actor_id, row.object_actor_id))
        else:
            ids.update((row.source_actor_id, row.target_actor_id))
    return actor_names(session, ids)


def actors(
    kind: Annotated[str | None, typer.Option(help="state, armed_group, person, ...")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3, e.g. IRQ")] = None,
    limit: Limit = 50,
) -> None:
    """List actors with their mention, relation and event counts."""
    from factionmap.analysis.queries import list_actors

    store = _store()
    with store.session() as session:
        rows = list_actors(session, kind=kind, country=country, limit=limit)
        table = Table(title="Actors", title_justify="left")
        for column in ("id", "name", "kind", "country", "mentions", "relations", "events"):
            table.add_column(column, justify="right" if column in ("id", "mentions") else "left")
        for row in rows:
            a = row.actor
            table.add_row(str(a.id), a.name, a.kind, a.country or "", str(row.mentions),
                          str(row.relations), str(row.events))  # fmt: skip
        out.print(table)
    store.close()


def actor(name: Annotated[str, typer.Argument(help="A name or alias, any spelling.")]) -> None:
    """Profile of one actor: aliases with merge reasons, roles, ties and events with evidence."""
    from factionmap.analysis.queries import actor_profile

    store = _store()
    with store.session() as session:
        a = _find(session, name)
        p = actor_profile(session, a)
        out.print(Text.assemble((a.name, "bold"), f"  kind: {a.kind}  country: {a.country or '?'}"
                                + (f"  kb: {a.kb_id}" if a.kb_id else "")
                                + (f"  wikidata: {a.wikidata}" if a.wikidata else "")))
        aliases = Table(title="Aliases", title_justify="left")
        for column in ("name", "origin", "why"):
            aliases.add_column(column, overflow="fold")
        for alias in p.aliases:
            aliases.add_row(alias.name, alias.origin, alias.reason or "")
        out.print(aliases)
        sections = (
            ("Roles", p.roles), ("Memberships", p.memberships), ("Leads", p.leads),
            ("Leaders", p.leaders), ("Other relations", p.relations),
        )  # fmt: skip
        for title, rows in sections:
            if rows:
                out.print(_relation_table(title, rows, p.names))
        if p.events:
            out.print(_event_table("Events", p.events, p.names))
    store.close()


def relations(
    type: Annotated[str | None, typer.Option("--type", help="leads, member_of, ...")] = None,
    actor: Annotated[str | None, typer.Option(help="Only relations of this actor.")] = None,
    min_outlets: MinOutlets = 1,
    limit: Limit = 50,
) -> None:
    """List relations, each with its evidence sentence and how many outlets report the tie."""
    from factionmap.analysis.corroboration import relation_corroboration
    from factionmap.analysis.queries import list_relations

    store = _store()
    with store.session() as session:
        who = _find(session, actor) if actor else None
        _, rows = list_relations(session, type=type, actor_id=who.id if who else None,
                                 limit=limit, min_outlets=min_outlets)
        out.print(_relation_table("Relations", rows, _names_for(session, rows),
                                  relation_corroboration(session, rows)))
    store.close()


def events(
    actor: Annotated[str | None, typer.Option(help="Events this actor took part in.")] = None,
    dyad: Annotated[
        tuple[str, str] | None,
        typer.Option(help="What A did to B (A a source, B a target): --dyad A B"),
    ] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT")] = None,
    quad: Annotated[int | None, typer.Option(min=0, max=4, help="CAMEO quad class 0-4")] = None,
    place: Annotated[str | None, typer.Option(help="Place name part or ISO country")] = None,
    since: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    until: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    min_outlets: MinOutlets = 1,
    include_actorless: Annotated[bool, typer.Option(
        "--include-actorless", help="Also events whose source and target resolved to no actor.")
    ] = False,
    limit: Limit = 50,
) -> None:
    """List coded events, each with its evidence sentence and how many outlets report it."""
    from factionmap.analysis.corroboration import event_corroboration
    from factionmap.analysis.queries import EventFilter, list_events

    store = _store()
    with store.session() as session:
        filters = EventFilter(
            actor_id=_find(session, actor).id if actor else None,
            dyad=(_find(session, dyad[0]).id, _find(session, dyad[1]).id) if dyad else None,
            type=type.upper() if type else None,
            quad_class=quad,
            place=place,
            start=since.date() if since else None,
            end=until.date() if until else None,
            min_outlets=min_outlets,
            include_actorless=include_actorless,
        )
        _, rows = list_events(session, filters, limit=limit)
        out.print(_event_table("Events", rows, _names_for(session, rows),
                               event_corroboration(session, rows)))
    store.close()


CAMP_MEMBERS_SHOWN = 5


def actor_map(
    limit: Limit = 15,
    nodes: Annotated[int, typer.Option(
        "--nodes", min=1, max=500,
        help="Actors the camps are drawn from (the API network's max_nodes).")] = 150,
) -> None:
    """The actor map: top actors, roles, memberships, leaders, top relations and events,
    and the camps (signed blocs) as the network API names and colours them."""
    from factionmap.analysis.queries import (
        document_count,
        list_actors,
        top_happenings,
        top_relations,
    )

    store = _store()
    with store.session() as session:
        out.print(Text.assemble(("factionmap", "bold"), f" — {document_count(session)} documents"))
        top = Table(title="Top actors", title_justify="left")
        for column in ("name", "kind", "country", "mentions", "relations", "events"):
            top.add_column(column)
        for row in list_actors(session, limit=limit):
            a = row.actor
            top.add_row(a.name, a.kind, a.country or "", str(row.mentions),
                        str(row.relations), str(row.events))  # fmt: skip
        out.print(top)
        groups = (
            ("Leaders", ["leads"]), ("Memberships", ["member_of"]), ("Roles", ["role"]),
            ("Other ties", ["allied_with", "supports", "opposes", "fighting_against",
                            "backed_by", "controls", "split_from", "merged_with"]),
        )  # fmt: skip
        for title, types in groups:
            rows = top_relations(session, types=types, limit=limit)
            if not rows:
                continue
            table = Table(title=title, title_justify="left")
            for column in ("subject", "relation", "object", "facts", "documents"):
                table.add_column(column)
            for r in rows:
                label = f"{r.type} ({r.role})" if r.role else r.type
                table.add_row(r.subject, label, r.object, str(r.count), str(r.documents))
            out.print(table)
        happenings = top_happenings(session, limit=limit)
        if happenings:
            names = _names_for(session, happenings)  # same attribute names as events
            table = Table(title="Top events (one row per happening)", title_justify="left")
            for column in ("date", "source", "event", "target", "place", "reports"):
                table.add_column(column)
            for h in happenings:
                table.add_row(_when(h.date), names.get(h.source_actor_id or -1, ""),
                              f"{h.type} {h.cameo}", names.get(h.target_actor_id or -1, ""),
                              h.location_name or "", str(h.report_count))  # fmt: skip
            out.print(table)
        camps = _camp_table(session, nodes, limit)
        if camps is not None:
            out.print(camps)
    store.close()


def _camp_table(session, nodes: int, limit: int) -> Table | None:  # type: ignore[no-untyped-def]
    """Camps from the network the API serves (same function, same names and colours)."""
    from factionmap.analysis.blocs import COLOUR_NAMES
    from factionmap.analysis.network import visible_network

    net = visible_network(session, max_nodes=nodes)
    if not net.camps:
        return None
    evidence = {n.id: n.degree for n in net.nodes}
    names = {n.id: n.name for n in net.nodes}
    table = Table(title="Camps", title_justify="left")
    for column in ("camp", "colour", "members (most evidence first)", "ties"):
        table.add_column(column, overflow="fold")
    for camp in net.camps[:limit]:
        members = set(camp.members)
        # the cooperative ties that placed its members together (in_camps: trusted enough)
        holding = sum(1 for e in net.edges
                      if e.in_camps and e.sign > 0 and e.a in members and e.b in members)
        ranked = sorted(camp.members, key=lambda a: (-evidence.get(a, 0), a))
        shown = ", ".join(f"{names.get(a, a)} ({evidence.get(a, 0)})"
                          for a in ranked[:CAMP_MEMBERS_SHOWN])
        if len(ranked) > CAMP_MEMBERS_SHOWN:
            shown += f" +{len(ranked) - CAMP_MEMBERS_SHOWN} more"
        colour = Text.assemble(("● ", camp.colour),
                               COLOUR_NAMES.get(camp.colour.lower(), camp.colour))
        table.add_row(camp.name, colour, shown, str(holding))
    if len(net.camps) > limit:
        table.caption = f"{len(net.camps) - limit} smaller camps not shown (--limit)"
    return table


def export(
    what: Annotated[str, typer.Argument(help="What to export: actors, relations, events, graph")],
    format: Annotated[
        str, typer.Option("--format", "-f",
                          help="csv, parquet or jsonl; events also plover-jsonl; graph also "
                               "gexf, graphml or stix")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout)")
    ] = None,
    since: Annotated[dt.datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="graph: the window's first day")] = None,
    until: Annotated[dt.datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="graph: the window's last day")] = None,
    max_nodes: Annotated[int, typer.Option(
        min=1, max=500, help="graph: at most this many actors, best evidenced first")] = 500,
    include_actorless: Annotated[bool, typer.Option(
        "--include-actorless",
        help="events: also those whose source and target resolved to no actor")] = False,
) -> None:
    """Export the map with analyst corrections applied: actors, relations, events (PLOVER
    names) or the signed graph (edge list, GEXF for Gephi, GraphML, STIX 2.1)."""
    from factionmap.analysis.export import ExportError, check_export

    try:
        check_export(what, format, output)
    except ExportError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None
    if output is not None and output.parent and not output.parent.is_dir():
        _error(f"{output}: folder {output.parent} does not exist")
        raise typer.Exit(2)
    window = (since.date() if since else None, until.date() if until else None, max_nodes)
    # the flag only widens the events export
    events_all = include_actorless
    store = _store()
    try:
        with store.session() as session, err.status(f"exporting {what}..."):
            if output is None or format in ("parquet", "gexf", "graphml"):
                n = _export(session, what, format, sys.stdout, output, window, events_all)
            else:
                with output.open("w", encoding="utf-8", newline="") as fh:
                    n = _export(session, what, format, fh, output, window, events_all)
    except BrokenPipeError:
        # the reader stopped early (`| head`): not an error; keep Python's exit flush quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:
        _error(f"{output or 'stdout'}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    unit = "actors" if what == "graph" and format in ("gexf", "graphml") else (
        "STIX objects" if format == "stix" else "rows" if what == "graph" else what)
    err.print(f"exported {n} {unit}" + (f" to {output}" if output else ""), markup=False)


def _error(message: str) -> None:
    from factionmap.cli.store_cmd import error_line

    error_line(message)


def _export(session, what: str, format: str, out, path: Path | None,  # type: ignore[no-untyped-def]
            window: tuple[dt.date | None, dt.date | None, int],
            include_actorless: bool = False) -> int:
    from factionmap.analysis import export as ex

    if what == "events":
        from factionmap.analysis.event_export import (
            event_records,
            flatten,
            write_csv,
            write_jsonl,
            write_parquet,
        )

        records = event_records(session, include_actorless=include_actorless)
        if format == "parquet":
            assert path is not None
            return write_parquet(records, path)
        if format == "csv":
            return write_csv(records, out)
        if format == "plover-jsonl":
            return write_jsonl(records, out)
        return write_jsonl((flatten(r) for r in records), out)  # flat rows like csv
    if what == "actors":
        return ex.write_rows(ex.actor_records(session), ex.ACTOR_COLUMNS, format, out, path)
    if what == "relations":
        return ex.write_rows(ex.relation_records(session), ex.RELATION_COLUMNS, format, out,
                             path)
    graph = ex.graph_export(session, start=window[0], end=window[1], max_nodes=window[2])
    if format in ex.TABLE_FORMATS:
        return ex.write_rows(ex.graph_records(graph), ex.GRAPH_COLUMNS, format, out, path)
    from factionmap.analysis import export_graph as eg

    if format == "gexf":
        assert path is not None
        return eg.write_gexf(graph, path)
    if format == "graphml":
        assert path is not None
        return eg.write_graphml(graph, path)
    return eg.write_stix(session, graph, out)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("actors")(actors)
    app.command("actor")(actor)
    app.command("relations")(relations)
    app.command("events")(events)
    app.command("map")(actor_map)
    app.command("export")(export)
