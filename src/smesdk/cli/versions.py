"""Framework versions: smesdk framework-diff and smesdk migrate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from smesdk import default_host
from smesdk.answers import AnswerSet
from smesdk.cli.options import framework_lang, json_option, lang_option, output_lang
from smesdk.cli.render import screen_width, wrapped
from smesdk.convert import dumps_json, unstructure
from smesdk.errors import SmesdkError
from smesdk.loading import load_answers
from smesdk.migrate import migrate_answers
from smesdk.spec_diff import diff_frameworks

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_KIND_WORDS = {"added": ("新增", "added"), "removed": ("删除", "removed"),
               "renamed": ("改名", "renamed"), "reworded": ("措辞修改", "reworded"),
               "reweighted": ("权重调整", "re-weighted"), "rebanded": ("计分规则调整", "re-banded"),
               "relevelled": ("等级规则调整", "re-levelled"), "changed": ("其他修改", "changed")}
#: What each kind of item is called (spec_diff.ItemKind); the changed fields keep the spec's keys.
_ITEM_WORDS = {"dimension": ("维度", "dimension"), "indicator": ("指标", "indicator"),
               "level": ("等级", "level"), "red line": ("红线", "red line"),
               "framework": ("框架", "framework")}


@click.command(name="framework-diff")
@click.argument("old")
@click.argument("new")
@click.option("--old-profile", default=None, help="Profile of OLD to compare.")
@click.option("--new-profile", default=None, help="Profile of NEW to compare.")
@json_option
@lang_option
def framework_diff(old: str, new: str, old_profile: str | None, new_profile: str | None,
                   as_json: bool, lang: str | None) -> None:
    """What changed between two framework versions (spec files or installed ids), by stable id."""
    host = default_host()
    result = diff_frameworks(host.load_framework(old, old_profile),
                             host.load_framework(new, new_profile))
    if as_json:
        click.echo(result.to_json(), nl=False)
        return
    lang = output_lang(lang)
    zh = lang == "zh"
    lines = [f"{result.old} → {result.new}: {len(result.changes)} " + ("处变化" if zh else "changes")]
    for kind, words in _KIND_WORDS.items():
        items = result.of(kind)  # type: ignore[arg-type]
        if not items:
            continue
        lines.append(f"{words[0] if zh else words[1]} ({len(items)})")
        for change in items:
            where = f"{change.old_id} → {change.id}" if change.old_id else change.id
            item = _ITEM_WORDS[change.item][0 if zh else 1]
            fields = f": {', '.join(change.fields)}" if change.fields else ""
            lines.append(f"  {change.title.get(lang)} [{item} {where}]{fields}")
    click.echo("\n".join(wrapped(lines, screen_width())))


def answers_to_data(answers: AnswerSet) -> dict[str, Any]:
    """An answer set as a person would write it: bare values, no empty fields."""
    data: dict[str, Any] = unstructure(answers)

    def compact(answer: dict[str, Any]) -> Any:
        kept = {k: v for k, v in answer.items() if v is not None and v is not False}
        if isinstance(kept.get("evidence"), dict):
            kept["evidence"] = {k: v for k, v in kept["evidence"].items() if v is not None}
        return kept["value"] if set(kept) == {"value"} else kept

    for group in ("answers", "facts"):
        data[group] = {k: compact(v) for k, v in data[group].items()}
    data["enterprise"] = {k: v for k, v in data["enterprise"].items() if v is not None}
    # `expected` described the result under the old version: it does not carry over
    return {k: v for k, v in data.items() if k != "expected" and v not in (None, {}, [])}


@click.command()
@click.argument("answers", type=_FILE)
@click.option("--to", "target", required=True, metavar="FRAMEWORK",
              help="The version to carry the answers to: a spec file or an installed framework id.")
@click.option("--from", "from_version", default=None, metavar="VERSION",
              help="The version the answers were made for (default: the one migration the "
                   "target declares).")
@click.option("--profile", "-p", default=None, help="Profile of the target framework.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the migrated answers here (YAML); default: standard output.")
@json_option
@lang_option
def migrate(answers: Path, target: str, from_version: str | None, profile: str | None,
            output: Path | None, as_json: bool, lang: str | None) -> None:
    """Carry an answer set to another framework version; list every answer left behind."""
    fw = default_host().load_framework(target, profile)
    if from_version is None:
        declared = [m.from_version for m in fw.spec.migrations]
        if len(declared) != 1:
            raise SmesdkError([f"{fw.id} {fw.version} declares migrations from "
                               f"{', '.join(declared) or 'no version'}: give --from VERSION"])
        from_version = declared[0]
    moved = migrate_answers(load_answers(answers), fw, from_version)
    data = answers_to_data(moved.answers)
    if as_json:
        click.echo(json.dumps({"answers": data, **json.loads(dumps_json(
            {"from_version": moved.from_version, "to": f"{moved.framework} {moved.version}",
             "not_carried": moved.not_carried, "needs_answer": moved.needs_answer}))},
            ensure_ascii=False, indent=2))
        return
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    lang = framework_lang(fw, lang)
    zh = lang == "zh"
    report = [f"{answers.name}: {moved.from_version} → {moved.framework} {moved.version}, "
              f"{len(moved.answers.answers)} " + ("项答案已迁移" if zh else "answers carried")]
    names = fw.names
    for item in moved.not_carried:
        name = names[item.indicator].get(lang) if item.indicator in names else item.indicator
        report.append(f"  {'未迁移' if zh else 'not carried'}: {name} [{item.indicator}] — "
                      f"{item.reason.get(lang)}")
    for iid in moved.needs_answer:
        report.append(f"  {'需补答' if zh else 'needs an answer'}: {names[iid].get(lang)} [{iid}]")
    report = wrapped(report, screen_width())
    if output is None:
        click.echo(text.rstrip("\n"))
        click.echo("\n".join(report), err=True)
        return
    output.write_text(text, encoding="utf-8")
    click.echo("\n".join(report))
