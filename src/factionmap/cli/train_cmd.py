"""``factionmap train``: rebuild the extraction models and the word clusters from data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()
train_app = typer.Typer(no_args_is_help=True, help="Rebuild the learned models from data.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the given app."""
    app.add_typer(train_app, name="train")


PUBLIC_RELATION_WEIGHT_OPTION = typer.Option(
    "--public-relation-weight", min=0.0,
    help="Sample weight of the CrossRE and CoNLL04 relations (default: half, as every "
    "public set; 0 leaves them out).")


def _shipped_dir() -> Path:
    import factionmap.models

    return Path(factionmap.models.__file__).parent


@train_app.command("models")
def models(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the weights (default: factionmap/models)."),
    ] = None,
    encoder: Annotated[
        str, typer.Option("--encoder", help="Token vectors: spacy (default) or minilm.")
    ] = "spacy",
    news: Annotated[
        Path | None, typer.Option("--news", help="Folder with our train.jsonl annotations.")
    ] = None,
    re3d: Annotated[Path | None, typer.Option("--re3d", help="re3d folder.")] = None,
    public: Annotated[
        Path | None, typer.Option("--public", help="Folder of the unified public sets.")
    ] = None,
    plover: Annotated[
        Path | None,
        typer.Option("--plover", help="PLOVER gold records (default: the shared "
                     "PLOVER_GSR_CAMEO.txt) that also train the event triggers, modes and "
                     "roles, at a lower weight."),
    ] = None,
    ngec: Annotated[
        Path | None,
        typer.Option("--ngec", help="NGEC synthetic stories (default: the shared unified "
                     "file): their leads train the triggers' sentence-type context."),
    ] = None,
    quad: Annotated[
        Path | None,
        typer.Option("--quad", help="CAMEO quad-class sentences (default: the shared "
                     "ConfliBERT cameo_class.train.tsv): train the triggers' quad context."),
    ] = None,
    sentence_context: Annotated[
        bool, typer.Option("--sentence-context/--no-sentence-context",
                           help="Train the two sentence classifiers the triggers read "
                           "(off: triggers without sentence context, for comparison).")
    ] = True,
    threshold_folds: Annotated[
        int, typer.Option("--threshold-folds", min=0,
                          help="Folds (by outlet of our news) that choose the decision "
                          "cuts; 0 or 1 leaves thresholds.json out.")
    ] = 5,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=1,
                                      help="Folds fitted at once.")] = 1,
    public_relation_weight: Annotated[float | None, PUBLIC_RELATION_WEIGHT_OPTION] = None,
) -> None:
    """Rebuild every model of the extraction pipeline from data (deterministic)."""
    from factionmap.train.models import train_models

    sources = _sentence_sets(_sources(encoder, news, re3d, public, plover,
                                      public_relation_weight), ngec, quad)
    if not sentence_context:
        sources.ngec = sources.quad = None
    target = out or _shipped_dir()
    _run(lambda step: train_models(sources, target, encoder, step,
                                   threshold_folds=threshold_folds, jobs=jobs), target)


@train_app.command("sentence-cv")
def sentence_cv(
    models: Annotated[
        Path | None,
        typer.Option("--models", help="Models folder whose vector projection the "
                     "classifiers read (default: the shipped models)."),
    ] = None,
    encoder: Annotated[str, typer.Option("--encoder")] = "spacy",
    folds: Annotated[int, typer.Option("--folds", min=2)] = 5,
    ngec: Annotated[Path | None, typer.Option("--ngec")] = None,
    quad: Annotated[Path | None, typer.Option("--quad")] = None,
) -> None:
    """Cross-validate the triggers' two sentence classifiers on their own data, for a few
    penalties (accuracy and macro-F1)."""
    from factionmap.train.models import sentence_cv as run_cv

    sources = _sentence_sets(_sources(encoder, None, None, None, None), ngec, quad)
    folder = models or _shipped_dir()
    _run(lambda step: run_cv(sources, folder, encoder, folds, progress=step), folder,
         list_files=False)


@train_app.command("thresholds")
def thresholds(
    models: Annotated[
        Path | None,
        typer.Option("--models", help="A models folder trained on the same sources "
                     "(default: factionmap/models)."),
    ] = None,
    encoder: Annotated[str, typer.Option("--encoder", help="spacy or minilm.")] = "spacy",
    folds: Annotated[int, typer.Option("--folds", min=2)] = 5,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=1,
                                      help="Folds fitted at once.")] = 1,
    public_relation_weight: Annotated[float | None, PUBLIC_RELATION_WEIGHT_OPTION] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the out-of-fold figures, write nothing (to compare "
        "training data, e.g. --public-relation-weight).")] = False,
) -> None:
    """Choose the decision cuts again by cross-validation by outlet (the last step of
    ``train models``) without refitting the models; writes thresholds.json."""
    from factionmap.train.models import thresholds_only

    sources = _sources(encoder, None, None, None, None, public_relation_weight)
    target = models or _shipped_dir()
    if not target.is_dir():
        console.print(f"[red]error:[/] --models {target}: not a folder")
        raise typer.Exit(code=2)
    _run(lambda step: thresholds_only(sources, target, encoder, folds, jobs, step,
                                      write=not dry_run), target, list_files=not dry_run)


def _sources(encoder: str, news: Path | None, re3d: Path | None, public: Path | None,
             plover: Path | None, public_relation_weight: float | None = None) -> Any:
    from factionmap.train.models import Sources

    if encoder not in ("spacy", "minilm"):
        console.print(f"[red]error:[/] --encoder must be spacy or minilm, not {encoder!r}")
        raise typer.Exit(code=2)
    sources = Sources.defaults()
    sources.news = news or sources.news
    sources.re3d = re3d or sources.re3d
    sources.public = public or sources.public
    sources.plover = plover or sources.plover
    if public_relation_weight is not None:
        sources.public_relation_weight = public_relation_weight
    for name, path in (("--news", sources.news), ("--re3d", sources.re3d),
                       ("--public", sources.public), ("--plover", sources.plover)):
        if path is not None and not path.exists():
            console.print(f"[red]error:[/] {name} {path}: not found")
            raise typer.Exit(code=2)
    return sources


def _sentence_sets(sources: Any, ngec: Path | None, quad: Path | None) -> Any:
    """``sources`` with the sentence-labelled sets given on the command line, checked."""
    sources.ngec = ngec or sources.ngec
    sources.quad = quad or sources.quad
    for name, path in (("--ngec", sources.ngec), ("--quad", sources.quad)):
        if path is not None and not path.exists():
            console.print(f"[red]error:[/] {name} {path}: not found")
            raise typer.Exit(code=2)
    return sources


def _run(job: Callable[[Callable[[str, int, int | None], None]], dict[str, object]],
         target: Path, list_files: bool = True) -> None:
    """Run a training job under progress bars, then print its report and what it wrote."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console) as bar:
        tasks: dict[str, object] = {}

        def step(stage: str, advance: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.advance(tasks[stage], advance)  # type: ignore[arg-type]

        try:
            report = job(step)
        except (ValueError, FileNotFoundError) as exc:  # a source that cannot be read
            console.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(code=2) from exc
    for key, value in report.items():
        if isinstance(value, list) and key == "skipped":
            for line in value:
                console.print(f"skipped: {escape(line)}")
            continue
        console.print(f"{key}: {escape(str(value))}")
    for path in sorted(target.iterdir()) if list_files else ():
        if path.suffix in (".crfsuite", ".joblib", ".npy", ".json"):
            console.print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


@train_app.command("clusters")
def clusters(
    paths: Annotated[
        list[Path], typer.Argument(help="News files or folders (JSONL, CSV, text, ...).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the table (default: factionmap/models)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest file to read, uncompressed.")
    ] = 1024 * 1024 * 1024,
) -> None:
    """Cluster the words of unlabelled news for the entity tagger (deterministic given the data).

    Retrain the tagger afterwards (``factionmap train re3d``): its weights name these clusters.
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from factionmap.extract.clusters import CLUSTERS_FILE, build_word_clusters
    from factionmap.nlp import load_pipeline
    from factionmap.records import ReadError, ReadWarning
    from factionmap.sources import read_paths

    tokenizer = load_pipeline().tokenizer
    documents: list[list[str]] = []
    failed = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as bar:
        task = bar.add_task("tokenising", total=None)
        for item in read_paths(paths, max_bytes=max_bytes):
            if isinstance(item, ReadError):
                failed += 1
                console.print(f"[red]error:[/] {escape(str(item))}", emoji=False)
                continue
            if isinstance(item, ReadWarning):
                continue  # the text is still worth clustering
            documents.append([t.lower_ for t in tokenizer(item.text) if not t.is_space])
            bar.advance(task)
    if not documents:
        console.print("[red]error:[/] no articles read")
        raise typer.Exit(code=2)
    console.print(f"clustering the words of {len(documents)} articles ({failed} failed)")
    try:
        table = build_word_clusters(documents)
    except ValueError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    target = (out or _shipped_dir()) / CLUSTERS_FILE
    table.save(target)
    size = target.stat().st_size / 1024
    console.print(f"wrote {target}: {len(table.table)} words ({size:.0f} KiB)")
