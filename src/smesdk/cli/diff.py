"""smesdk diff: what changed between two assessments, and why."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import click

from smesdk.cli.options import json_option, lang_option, output_lang
from smesdk.cli.render import screen_width, wrapped
from smesdk.cli.store import open_cli_store, store_option
from smesdk.deltas import DIRECTIONS, Change, Comparison, compare
from smesdk.errors import SmesdkError
from smesdk.files import read_limited
from smesdk.result import Provenance, Result
from smesdk.text import Lang


def _signed(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def _plain(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _line(change: Change, lang: Lang, split: bool, indent: str = "  ") -> str:
    before, after = _plain(change.before), _plain(change.after)
    text = (f"{indent}{change.title.get(lang)}: {before} → {after}  "
            f"{DIRECTIONS[change.direction].get(lang)}; "
            f"{'总分贡献' if lang == 'zh' else 'points'} {_signed(change.points)}")
    if split and (change.practice or change.model):
        word = ("实践", "模型") if lang == "zh" else ("practice", "model")
        text += f"  ({word[0]} {_signed(change.practice)}, {word[1]} {_signed(change.model)})"
    return text


def _framework_name(prov: Provenance, lang: Lang) -> str:
    """The installed framework's title (a framework keeps its id across versions) and its
    profile's, else their ids."""
    from smesdk import default_host

    entry = default_host().catalog().get(prov.framework)
    if entry is None:
        return f"{prov.framework} {prov.version}" + (f" ({prov.profile})" if prov.profile else "")
    titles = {p.id: p.title.get(lang) for p in entry[1].profiles}
    profile = f" ({titles.get(prov.profile, prov.profile)})" if prov.profile else ""
    return f"{entry[1].title.get(lang)} {prov.version}{profile}"


def comparison_text(c: Comparison, lang: Lang) -> str:
    zh = lang == "zh"

    def stamp(date: str, prov: Provenance) -> str:
        return f"{date} {_framework_name(prov, lang)}"

    lines = [c.enterprise, f"T0 {stamp(c.before_date, c.before)} → T1 {stamp(c.after_date, c.after)}"]
    lines.append(_line(c.total, lang, c.split).strip())
    titles = [ref.title.get(lang) if ref else "—" for ref in (c.level_before, c.level_after)]
    lines.append(f"{'等级' if zh else 'level'}: {titles[0]} → {titles[1]}"
                 f"  {DIRECTIONS[c.level.direction].get(lang)}")
    lines.append("维度" if zh else "dimensions")
    # each dimension under its parent, as in the framework's tree
    lines += [_line(x, lang, c.split, "  " * (1 + x.id.count("."))) for x in c.dimensions]
    moved = [x for x in c.indicators if x.direction != "unchanged" or x.model]
    lines.append(("有变化的指标" if zh else "indicators that changed")
                 + f" ({len(moved)}/{len(c.indicators)})")
    lines += [_line(x, lang, c.split) for x in moved]
    names = {x.id: x.title.get(lang) for x in c.indicators}
    for item in c.carried:
        lines.append(f"! {names.get(item.indicator, item.indicator)}: {item.what} — {item.reason.get(lang)}")
    lines += [f"! {note.get(lang)}" for note in c.notes]
    return "\n".join(lines)


@click.command()
@click.argument("before", required=False)
@click.argument("after", required=False)
@click.option("--enterprise", "-e", default=None,
              help="Compare each stored assessment of this enterprise with the one before.")
@click.option("--framework", "-f", default=None, help="With --enterprise: the framework.")
@store_option
@json_option
@lang_option
def diff(before: str | None, after: str | None, enterprise: str | None, framework: str | None,
         store_target: str | None, as_json: bool, lang: str | None) -> None:
    """Compare two assessments: result JSON files, or stored assessment ids (then a framework
    change is split into practice and model change)."""
    if enterprise is not None:
        if before or after or framework is None:
            raise click.UsageError("--enterprise takes --framework and no BEFORE/AFTER")
        comparisons = open_cli_store(store_target).deltas(enterprise, framework)
        if not comparisons:
            raise SmesdkError([f"store: fewer than two assessments of {enterprise!r} "
                               f"against {framework!r}"])
    elif before is None or after is None:
        raise click.UsageError("give BEFORE and AFTER, or --enterprise and --framework")
    elif Path(before).is_file() and Path(after).is_file():
        results = [_read_result(Path(p)) for p in (before, after)]
        comparisons = [compare(results[0], results[1])]
    elif Path(before).is_file() or Path(after).is_file():
        raise click.UsageError("BEFORE and AFTER must both be result files or both stored ids")
    else:
        comparisons = [open_cli_store(store_target).compare(before, after)]
    if as_json:
        from smesdk.convert import dumps_json

        click.echo(dumps_json(comparisons if enterprise else comparisons[0]), nl=False)
        return
    lang = output_lang(lang)
    width = screen_width()
    click.echo("\n\n".join("\n".join(wrapped(comparison_text(c, lang).split("\n"), width))
                           for c in comparisons))


#: The largest result file read: a result with its full trace is under a few MiB.
RESULT_BYTES = 64 * 1024 * 1024


def _read_result(path: Path) -> Result:
    """A result file written by ``smesdk assess --json``; what is wrong with it names it."""
    title = f"{path}: not a result file (`smesdk assess --json` writes one):"
    raw = read_limited(path, RESULT_BYTES)  # a huge file is refused, not read into memory
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SmesdkError(["file is not UTF-8 text"], title=title) from None
    try:
        return Result.from_json(text)
    except SmesdkError as exc:  # its problems name no file: the text was read here
        raise SmesdkError([attrs.evolve(p, file=None) for p in exc.problems],
                          title=title) from None
