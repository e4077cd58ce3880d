"""``factionmap evaluate news-gold``: score extraction on our annotated news (aggregates only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from factionmap.evaluate.newsgold.corpus import DEFAULT_NEWS

console = Console()


def register(app: typer.Typer) -> None:
    app.command("news-gold")(news_gold)


def news_gold(
    split: Annotated[str, typer.Option("--split", help="blind (frozen test), cv (5 folds by "
                                       "outlet over the training annotations) or train")] = "blind",
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every figure here.")
    ] = None,
    news: Annotated[Path, typer.Option("--news", help="The AllSides sample.")] = DEFAULT_NEWS,
    gold_dir: Annotated[Path | None, typer.Option("--gold-dir")] = None,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=1)] = 1,
    models: Annotated[
        Path | None, typer.Option("--models", help="Score models from this folder.")
    ] = None,
    encoder: Annotated[
        str | None, typer.Option("--encoder", help="Encoder the models were trained with.")
    ] = None,
) -> None:
    """Entities, relations, events and modality of the default pipeline against our gold."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from factionmap.evaluate.newsgold.loader import GOLD_DIR, GoldDataError, load_split
    from factionmap.evaluate.newsgold.run import (
        cross_validate,
        evaluate,
        learned_trainer,
        pipeline_extractor,
    )

    if split not in ("blind", "cv", "train"):
        console.print(f"[red]error:[/] --split must be blind, cv or train, not {split!r}")
        raise typer.Exit(code=2)
    try:
        articles = load_split("train" if split == "cv" else split,
                              gold_dir=gold_dir or GOLD_DIR, news=news)
    except (GoldDataError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}", markup=False)
        raise typer.Exit(code=2) from exc
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("extract", total=len(articles))

        def done(_n: int) -> None:
            bar.advance(task)

        extractor = pipeline_extractor(jobs, progress=done, models=models, encoder=encoder)
        if split == "cv":
            # each fold trains every model on the other outlets' articles
            pooled, folds = cross_validate(articles, learned_trainer(encoder or "spacy"),
                                           extractor)
            report: dict[str, Any] = {"split": split, "pooled": pooled.to_dict(),
                                      "folds": [f.to_dict() for f in folds]}
        else:
            report = {"split": split, "pooled": evaluate(articles, extractor).to_dict()}
    show(report["pooled"], f"news gold, {split} ({report['pooled']['documents']} articles)")
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}", markup=False)


def _prf(table: dict[str, Any], title: str) -> RichTable:
    out = RichTable(title=title)
    for col in ("", "P", "R", "F1", "tp", "fp", "fn"):
        out.add_column(col, justify="right" if col else "left")
    for key, c in table.items():
        if key == "macro":
            continue
        out.add_row(key, f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}",
                    str(c["tp"]), str(c["fp"]), str(c["fn"]))
    out.add_row("macro F1", "", "", f"{table['macro']:.3f}", "", "", "")
    return out


def show(figures: dict[str, Any], title: str) -> None:
    console.print(f"[bold]{title}[/]")
    console.print(_prf(figures["entities_exact"], "Entities (names), exact"))
    ov = figures["entities_overlap"]["micro"]
    console.print(f"Entities (names), overlap micro-F1 {ov['f1']:.3f}")
    console.print(_prf(figures["relations"], "Relations per sentence"))
    for key, name in (("relations_actor_ties", "actor ties, per sentence"),
                      ("relations_article", "all types, per article"),
                      ("relations_article_actor_ties", "actor ties, per article")):
        c = figures[key]["micro"]
        console.print(f"Relations, {name}: micro-F1 {c['f1']:.3f} (P {c['precision']:.3f}, "
                      f"R {c['recall']:.3f}); macro-F1 {figures[key]['macro']:.3f}")
    events = RichTable(title="Events")
    for col in ("", "P", "R", "F1", "tp", "fp", "fn"):
        events.add_column(col, justify="right" if col else "left")
    for key, c in figures["events"].items():
        events.add_row(key, f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}",
                       str(c["tp"]), str(c["fp"]), str(c["fn"]))
    console.print(events)
    console.print(f"Event type accuracy on detected events: {figures['event_type_accuracy']:.3f}")
    mod = figures["modality_accuracy"]
    n = figures["modality_matched"]
    console.print(f"Modality accuracy: relations {mod['relations']:.3f} ({n['relations']} "
                  f"matched), events {mod['events']:.3f} ({n['events']} matched)")
    cal = figures["relation_calibration"]
    console.print(f"Relation confidence: expected calibration error {cal['ece']:.3f} over "
                  f"{cal['n']} predicted facts")
