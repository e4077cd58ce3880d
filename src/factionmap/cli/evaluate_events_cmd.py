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
from rich.table import Table

console = Console()
JsonOpt = typer.Option(None, "--json", help="Also write the figures to this JSON file.")
LexOpt = typer.Option(None, "--lexicon", help="Extra event lexicon TSV file(s).")
VerbsOpt = typer.Option(None, "--cameo-verbs", help="PETRARCH-format verb dictionary file(s).")
FoldsOpt = typer.Option(
    5,
    "--folds",
    help="Train the learned layer k-fold on this file and score each part held-out "
    "(default 5). 0: apply the shipped events_* weights as they are (refused when they "
    "were trained on this same file).",
)
RulesOpt = typer.Option(False, "--rules-only", help="Score the rule coder alone.")
TrainOpt = typer.Option(
    None, "--train-out", help="Also train on the whole file and write the weights to this folder."
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
        table.add_row(key, str(value))
    console.print(table)
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2, default=str), "utf-8")


def _sentence_coder(lexicon: list[Path] | None, cameo_verbs: list[Path] | None) -> Any:
    from factionmap.evaluate.events.common import SentenceCoder
    from factionmap.extract.events import EventCoder
    from factionmap.extract.events.learned import NO_MODELS
    from factionmap.nlp import load_pipeline

    coder = EventCoder(lexicon or (), cameo_verbs or (), models=NO_MODELS)
    return SentenceCoder(load_pipeline(), coder)


def _learned_options(kind: str, folds: int, rules_only: bool) -> dict[str, Any]:
    """Keyword arguments for an evaluate_* function: k-fold, shipped weights, or rules."""
    from factionmap.extract.events.learned import shipped_event_models

    if rules_only:
        return {"folds": 0}
    if folds >= 2:
        return {"folds": folds}
    model = getattr(shipped_event_models(), kind)
    if model is None:
        console.print(f"no shipped events_{kind} weights: scoring rules only")
    return {"folds": 0, "model": model}


def _fail(exc: Exception) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(2)


def _print_plover_mapping() -> None:
    from factionmap.evaluate.events.plover import OLD_TO_CURRENT

    console.print("category mapping: " + ", ".join(f"{k}->{v}" for k, v in OLD_TO_CURRENT.items()))


@dataclass(frozen=True)
class _LearnedCommand:
    """One gold format scored by the rule coder plus one learned model."""

    name: str  # the command: ``factionmap evaluate <name>``
    evaluator: str  # "module:function", imported on use (spaCy and scikit-learn are slow)
    kind: str  # which shipped ``events_<kind>`` weights apply
    title: str
    help: str
    preface: Callable[[], None] | None = None  # run before scoring

    def load_evaluator(self) -> Callable[..., dict[str, Any]]:
        module, _, function = self.evaluator.partition(":")
        return getattr(importlib.import_module(module), function)


_LEARNED_COMMANDS = (
    _LearnedCommand(
        name="cameo-class",
        evaluator="factionmap.evaluate.events.cameo_class:evaluate_cameo_class",
        kind="quad",
        title="CAMEO quad class",
        help="Quad-class accuracy and macro-F1 on sentence<TAB>label (0-4) files.",
    ),
    _LearnedCommand(
        name="cameo-actors",
        evaluator="factionmap.evaluate.events.cameo_actors:evaluate_cameo_actors",
        kind="roles",
        title="CAMEO source/target spans",
        help="Source/target span P/R/F1 (exact and overlap) on BIO files with S/T/R tags.",
    ),
    _LearnedCommand(
        name="plover",
        evaluator="factionmap.evaluate.events.plover:evaluate_plover",
        kind="plover",
        title="PLOVER gold records",
        help="PLOVER event-type accuracy and actor-text match (old category names mapped).",
        preface=_print_plover_mapping,
    ),
)


def _add_learned_command(app: typer.Typer, spec: _LearnedCommand) -> None:
    def command(
        file: Path,
        json_out: Path | None = JsonOpt,
        lexicon: list[Path] | None = LexOpt,
        cameo_verbs: list[Path] | None = VerbsOpt,
        folds: int = FoldsOpt,
        rules_only: bool = RulesOpt,
        train_out: Path | None = TrainOpt,
    ) -> None:
        from factionmap.evaluate.events.common import GoldFileError

        evaluate = spec.load_evaluator()
        if spec.preface is not None:
            spec.preface()
        try:
            opts = _learned_options(spec.kind, folds, rules_only)
            coder = _sentence_coder(lexicon, cameo_verbs)
            result = evaluate(file, coder, train_out=train_out, **opts)
        except GoldFileError as exc:
            _fail(exc)
        _show(spec.title, result, json_out)

    command.__doc__ = spec.help  # Typer's help text
    app.command(spec.name)(command)


def register(app: typer.Typer) -> None:
    """Add the event evaluation commands to ``factionmap evaluate``."""
    for spec in _LEARNED_COMMANDS:
        _add_learned_command(app, spec)

    @app.command("petrarch")
    def petrarch(
        file: Path,
        json_out: Path | None = JsonOpt,
        cameo_verbs: list[Path] | None = VerbsOpt,
        dictionaries: Path | None = DictOpt,
    ) -> None:
        """Share of PETRARCH unit-test records whose expected codings are produced exactly."""
        from factionmap.evaluate.events.common import GoldFileError
        from factionmap.evaluate.events.petrarch import evaluate_petrarch
        from factionmap.nlp import load_pipeline

        try:
            result = evaluate_petrarch(file, load_pipeline(), cameo_verbs, dictionaries)
        except GoldFileError as exc:
            _fail(exc)
        _show("PETRARCH unit-test records", result, json_out)
