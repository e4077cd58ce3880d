"""``factionmap evaluate re3d DIR``: score entities and relations on a re3d folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from factionmap.evaluate.scoring import MICRO, Table

console = Console()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the given app."""
    app.command("re3d")(re3d)


def re3d(
    directory: Annotated[Path, typer.Argument(help="re3d folder: <source>/documents.json, ...")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every figure (per fold, pooled) here.")
    ] = None,
    loso: Annotated[
        bool,
        typer.Option(
            "--loso/--no-loso",
            help="Retrain learned parts leaving each source out (default), or use shipped weights.",
        ),
    ] = True,
    learned: Annotated[
        bool, typer.Option("--learned/--rules-only", help="Use the learned refinements at all.")
    ] = True,
) -> None:
    """Score extraction on re3d: typed entity spans (exact, overlap) and relations."""
    from factionmap.evaluate.re3d import FoldResult, evaluate_re3d
    from factionmap.evaluate.re3d_data import Re3dFormatError

    def show_fold(fold: FoldResult) -> None:
        console.print(
            f"[bold]{fold.name}[/] ({fold.documents} docs, "
            f"trained on {', '.join(fold.trained_on) or '-'}): "
            f"entities exact F1 {_f1(fold.entities_exact):.3f}, "
            f"overlap F1 {_f1(fold.entities_overlap):.3f}; "
            f"relations F1 {_f1(fold.relations):.3f}, "
            f"actor relations F1 {_f1(fold.actor_relations):.3f}"
        )

    try:
        report = evaluate_re3d(directory, loso=loso, learned=learned, on_fold=show_fold)
    except (Re3dFormatError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    pooled = report.pooled
    assert pooled is not None
    title = {
        "loso": "pooled over leave-one-source-out folds",
        "shipped": "shipped weights (in-sample if trained on this data)",
        "rules-only": "rules only",
    }[report.mode]
    console.print(
        _entity_table(pooled.entities_exact, pooled.entities_overlap, f"Entities, {title}")
    )
    console.print(_prf_table(pooled.relations, f"Relations (all scored types), {title}"))
    console.print(_prf_table(pooled.actor_relations, f"Actor relations, {title}"))
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        console.print(f"wrote {json_out}")


def _f1(table: Table) -> float:
    return table[MICRO].f1 if MICRO in table else 0.0


def _rows(table: Table) -> list[str]:
    return [k for k in sorted(table) if k != MICRO] + ([MICRO] if MICRO in table else [])


def _entity_table(exact: Table, overlap: Table, title: str) -> RichTable:
    out = RichTable(title=title)
    for col in (
        "type",
        "gold",
        "pred",
        "P exact",
        "R exact",
        "F1 exact",
        "P overlap",
        "R overlap",
        "F1 overlap",
    ):
        out.add_column(col, justify="left" if col == "type" else "right")
    for label in _rows(exact):
        e = exact[label]
        o = overlap.get(label)
        out.add_row(
            label,
            str(e.tp + e.fn),
            str(e.tp + e.fp),
            f"{e.precision:.3f}",
            f"{e.recall:.3f}",
            f"{e.f1:.3f}",
            f"{o.precision:.3f}" if o else "-",
            f"{o.recall:.3f}" if o else "-",
            f"{o.f1:.3f}" if o else "-",
            style="bold" if label == MICRO else None,
        )
    return out


def _prf_table(table: Table, title: str) -> RichTable:
    out = RichTable(title=title)
    for col in ("type", "gold", "pred", "tp", "P", "R", "F1"):
        out.add_column(col, justify="left" if col == "type" else "right")
    for label in _rows(table):
        p = table[label]
        out.add_row(
            label,
            str(p.tp + p.fn),
            str(p.tp + p.fp),
            str(p.tp),
            f"{p.precision:.3f}",
            f"{p.recall:.3f}",
            f"{p.f1:.3f}",
            style="bold" if label == MICRO else None,
        )
    return out
