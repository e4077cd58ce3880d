"""factionmap evaluate cameo-class | cameo-actors | plover | petrarch: event-coding scores."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
JsonOpt = typer.Option(None, "--json", help="Also write the figures to this JSON file.")
FoldsOpt = typer.Option(
    5,
    "--folds",
    min=0,
    help="K >= 2 (default 5): train the event models here, with the PLOVER gold records "
    "added to our annotated news, K-fold: each sentence is scored by models trained "
    "without it (or any record of the same text); the entity, relation and vector models "
    "come from --models. 0: score the --models folder as it is.",
)
ModelsOpt = typer.Option(
    None, "--models", help="Models folder (default: the shipped models); with --folds, the "
    "base the event models are trained on top of."
)
EncoderOpt = typer.Option(None, "--encoder", help="Encoder the models were trained with.")
PloverOpt = typer.Option(
    None, "--plover", help="PLOVER gold records added to the event training with --folds "
    "(default: ../shared/data/plover/PLOVER_GSR_CAMEO.txt when present)."
)
DictOpt = typer.Option(
    None, help="Folder of the dictionaries the records name (default ../dictionaries)."
)


def _show(title: str, result: dict[str, Any], json_out: Path | None) -> None:
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if isinstance(value, dict) and all(not isinstance(v, dict) for v in value.values()):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "; ".join(value) if value else "-"
        table.add_row(escape(key), escape(str(value)))
    console.print(table)
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2, default=str), "utf-8")
        console.print(f"wrote {escape(str(json_out))}")


def _fail(exc: Exception) -> None:
    console.print(f"[red]error:[/red] {escape(str(exc))}")
    raise typer.Exit(2)


def _print_plover_mapping() -> None:
    from factionmap.evaluate.events.plover import OLD_TO_CURRENT

    console.print("category mapping: " + ", ".join(f"{k}->{v}" for k, v in OLD_TO_CURRENT.items()))


@dataclass(frozen=True)
class _EventCommand:
    """One gold format scored with the pipeline's events."""

    name: str  # the command: ``factionmap evaluate <name>``
    evaluator: str  # "module:function", imported on use (spaCy and scikit-learn are slow)
    title: str
    help: str
    takes_plover: bool = True  # the file is not PLOVER itself: --plover names the training set
    preface: Callable[[], None] | None = None  # run before scoring

    def load_evaluator(self) -> Callable[..., dict[str, Any]]:
        module, _, function = self.evaluator.partition(":")
        return getattr(importlib.import_module(module), function)


_COMMANDS = (
    _EventCommand(
        name="cameo-class",
        evaluator="factionmap.evaluate.events.cameo_class:evaluate_cameo_class",
        title="CAMEO quad class",
        help="Quad class (0-4) of the event that sums up each sentence (0 when none "
        "happened): accuracy, macro-F1 and F1 per class, on sentence<TAB>label files.",
    ),
    _EventCommand(
        name="cameo-actors",
        evaluator="factionmap.evaluate.events.cameo_actors:evaluate_cameo_actors",
        title="CAMEO source/target spans",
        help="Source/target span P/R/F1 (exact and overlap) of the event that sums up each "
        "sentence, on BIO files with S/T/R tags (gold spans without leading article or "
        "trailing possessive, as our mentions).",
    ),
    _EventCommand(
        name="plover",
        evaluator="factionmap.evaluate.events.plover:evaluate_plover",
        title="PLOVER gold records",
        help="PLOVER type accuracy and actor-text match of the event that sums up each "
        "record (older category names mapped). With --folds the records themselves are the "
        "added training data, a fold's records left out of its training.",
        takes_plover=False,
        preface=_print_plover_mapping,
    ),
)


def _progress_bar() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=console, transient=True)


def _stepper(bar: Any) -> Callable[[str, int, int | None], None]:
    tasks: dict[str, object] = {}

    def step(stage: str, advance: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(escape(stage), total=total)
        bar.advance(tasks[stage], advance)

    return step


def _add_command(app: typer.Typer, spec: _EventCommand) -> None:
    def command(
        file: Path,
        json_out: Path | None = JsonOpt,
        folds: int = FoldsOpt,
        models: Path | None = ModelsOpt,
        encoder: str | None = EncoderOpt,
        plover: Path | None = PloverOpt,
    ) -> None:
        from factionmap.evaluate.events.common import GoldFileError

        evaluate = spec.load_evaluator()
        if spec.preface is not None:
            spec.preface()
        if folds == 1:
            _fail(ValueError("--folds must be 0 (fixed models) or at least 2"))
        if plover is not None and not spec.takes_plover:
            _fail(ValueError("--plover: this file is the PLOVER training set itself"))
        extra = {"plover": plover} if spec.takes_plover else {}
        try:
            with _progress_bar() as bar:
                result = evaluate(file, folds=folds, models=models, encoder=encoder,
                                  progress=_stepper(bar), **extra)
        except (GoldFileError, ValueError, FileNotFoundError) as exc:
            _fail(exc)
        _show(spec.title, result, json_out)

    command.__doc__ = spec.help  # Typer's help text
    app.command(spec.name)(command)


def register(app: typer.Typer) -> None:
    """Add the event evaluation commands to ``factionmap evaluate``."""
    for spec in _COMMANDS:
        _add_command(app, spec)

    @app.command("petrarch")
    def petrarch(
        file: Path,
        json_out: Path | None = JsonOpt,
        folds: int = FoldsOpt,
        models: Path | None = ModelsOpt,
        encoder: str | None = EncoderOpt,
        plover: Path | None = PloverOpt,
        dictionaries: Path | None = DictOpt,
    ) -> None:
        """Agreement with PETRARCH unit-test codings at the CAMEO root (first two digits).

        Kept: the CAMEO root of the event that sums up each sentence against the expected
        codings, no event where none is expected, and (source, target, root) codings with
        actors coded by the records' PETRARCH actor and agent dictionaries. Dropped with the
        rule coder: full CAMEO codes (ours come from our event lexicon, not PETRARCH's verb
        dictionary), reverse codings of paired verbs, and the first-actor-after-the-verb
        target rule.
        """
        from factionmap.evaluate.events.common import GoldFileError
        from factionmap.evaluate.events.petrarch import evaluate_petrarch

        if folds == 1:
            _fail(ValueError("--folds must be 0 (fixed models) or at least 2"))
        try:
            with _progress_bar() as bar:
                result = evaluate_petrarch(file, folds=folds, models=models, encoder=encoder,
                                           dictionaries=dictionaries, plover=plover,
                                           progress=_stepper(bar))
        except (GoldFileError, ValueError, FileNotFoundError) as exc:
            _fail(exc)
        _show("PETRARCH unit-test records", result, json_out)
