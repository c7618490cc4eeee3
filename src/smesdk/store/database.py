"""The assessment store: enterprises, answer sets, results and the framework specs behind them."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from smesdk.answers import AnswerSet, Enterprise
from smesdk.convert import dumps_json, unstructure
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.loading import answers_from_data, spec_from_data
from smesdk.result import Result
from smesdk.store.connect import make_engine, store_url
from smesdk.store.migrate_schema import current_revision, head_revision, upgrade
from smesdk.store.schema import answer_sets, enterprises, framework_specs, results
from smesdk.text import Text

if TYPE_CHECKING:
    from smesdk.deltas import Comparison


@attrs.frozen
class HistoryEntry:
    """One stored assessment, as a history lists it (the full result: :meth:`Store.result`)."""

    uid: str
    enterprise: str
    framework: str
    version: str
    profile: str | None
    content_hash: str
    assessed_on: dt.date
    recorded_at: str
    total: str
    level: str | None
    source: str | None


@attrs.frozen
class Assessment:
    """What one stored assessment holds: its answers, its result and where they came from."""

    uid: str
    answers: AnswerSet
    result: Result
    recorded_at: str
    source: str | None


def enterprise_key(enterprise: Enterprise) -> str:
    """Who an assessment is about: the credit code (统一社会信用代码) if given, else the name."""
    return enterprise.credit_code or f"name:{enterprise.name}"


def canonical(data: Any) -> str:
    """Compact JSON with sorted keys: the form specs are stored and hashed in."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Store:
    """An assessment store on one database. Every write is one transaction: all or nothing."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._spec_rows: dict[str, dict[str, Any]] = {}
        revision = current_revision(engine)
        if revision != head_revision():
            raise SmesdkError([f"store: schema revision {revision or 'none'} is not the newest "
                               f"({head_revision()}); open it with open_store() to upgrade"])

    # -- writing ---------------------------------------------------------------------------

    def record(self, framework: Framework, answers: AnswerSet, *, result: Result | None = None,
               source: str | None = None) -> Assessment:
        """Assess (unless ``result`` is given) and save answers, result and spec together."""
        [stored] = self.record_many([(framework, answers, result)], source=source)
        return stored

    def record_many(self, items: Iterable[tuple[Framework, AnswerSet, Result | None]], *,
                    source: str | None = None) -> list[Assessment]:
        """Several assessments in one transaction: they all land, or none does.

        ``items`` is read inside the transaction, so a generator may feed a long run; an
        error (or a killed process) part way leaves the store as it was before the call.
        """
        saved: list[Assessment] = []
        with self.engine.begin() as connection:
            writer = _Writer(connection)
            for framework, answers, given in items:
                result = given if given is not None else framework.assess(answers)
                if result.provenance.content_hash != framework.content_hash:
                    raise SmesdkError([f"store: the result names {result.provenance.content_hash},"
                                       f" not the framework given ({framework.content_hash})"])
                if (result.enterprise, result.assessed_on) != (answers.enterprise, answers.date):
                    raise SmesdkError(["store: the result is of another enterprise or date than "
                                       "the answers given"])
                item = Assessment(uuid.uuid4().hex, answers, result, _now(), source)
                writer.put_spec(self._spec_row(framework))
                writer.write(item)
                saved.append(item)
        return saved

    def _spec_row(self, framework: Framework) -> dict[str, Any]:
        # a framework's snapshot never changes: serialise it once per store
        row = self._spec_rows.get(framework.content_hash)
        if row is None:
            row = self._spec_rows[framework.content_hash] = spec_row(framework)
        return row

    # -- reading ---------------------------------------------------------------------------

    def enterprises(self) -> list[tuple[str, str]]:
        """(key, name) of every enterprise, by name."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(enterprises.c.key, enterprises.c.name)
                                      .order_by(enterprises.c.name, enterprises.c.key))
            return [(key, name) for key, name in rows]

    def history(self, enterprise: str, framework: str | None = None) -> list[HistoryEntry]:
        """An enterprise's assessments (by credit code or name), oldest first."""
        # the enterprise first, then its results by the history index (one OR across the
        # join would make SQLite scan every result)
        who = sa.select(enterprises.c.id).where(sa.or_(
            enterprises.c.key == enterprise, enterprises.c.key == f"name:{enterprise}",
            enterprises.c.name == enterprise))
        query = (sa.select(results.c.uid, enterprises.c.name, results.c.framework,
                           framework_specs.c.version, framework_specs.c.profile,
                           results.c.content_hash, results.c.assessed_on, results.c.recorded_at,
                           results.c.total, results.c.level, results.c.source)
                 .join(enterprises, enterprises.c.id == results.c.enterprise_id)
                 .join(framework_specs, framework_specs.c.content_hash == results.c.content_hash)
                 .order_by(results.c.assessed_on, results.c.recorded_at, results.c.id))
        if framework is not None:
            query = query.where(results.c.framework == framework)
        with self.engine.connect() as connection:
            ids = list(connection.execute(who).scalars())
            if not ids:
                return []
            rows = connection.execute(query.where(results.c.enterprise_id.in_(ids))).all()
        return [HistoryEntry(*row) for row in rows]

    def assessment(self, uid: str) -> Assessment:
        """One stored assessment by uid (a unique prefix of at least 6 characters will do)."""
        if len(uid) < 6:
            raise SmesdkError([f"store: assessment id {uid!r} is too short (give 6 or more characters)"])
        query = (sa.select(results.c.uid, answer_sets.c.body, results.c.body,
                           results.c.recorded_at, results.c.source)
                 .join(answer_sets, answer_sets.c.id == results.c.answer_set_id)
                 .where(results.c.uid.startswith(uid, autoescape=True)).limit(2))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        if len(rows) != 1:
            raise SmesdkError([f"store: {'no' if not rows else 'more than one'} assessment "
                               f"with id {uid!r}"])
        full_uid, answers_body, result_body, recorded_at, source = rows[0]
        return Assessment(full_uid, answers_from_data(json.loads(answers_body)),
                          Result.from_json(result_body), recorded_at, source)

    def framework_title(self, content_hash: str) -> Text:
        """The title of a stored framework snapshot (without rebuilding the framework)."""
        with self.engine.connect() as connection:
            spec = connection.execute(sa.select(framework_specs.c.spec).where(
                framework_specs.c.content_hash == content_hash)).scalar_one_or_none()
        if spec is None:
            raise SmesdkError([f"store: no framework snapshot {content_hash}"])
        title = json.loads(spec)["title"]
        return Text(title)  # in whatever languages the framework declares

    def framework(self, content_hash: str) -> Framework:
        """The framework a stored result was scored with, rebuilt from its snapshot."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(framework_specs.c.spec, framework_specs.c.profile)
                                     .where(framework_specs.c.content_hash == content_hash)).first()
        if row is None:
            raise SmesdkError([f"store: no framework snapshot {content_hash}"])
        return framework_from_snapshot(row.spec, row.profile, content_hash)

    # -- changes over time ------------------------------------------------------------------

    def compare(self, before: str, after: str) -> Comparison:
        """Two stored assessments compared, practice and model change split (see smesdk.deltas)."""
        from smesdk.deltas import compare

        t0, t1 = self.assessment(before), self.assessment(after)
        frameworks = (self.framework(t0.result.provenance.content_hash),
                      self.framework(t1.result.provenance.content_hash))
        return compare(t0.result, t1.result, answers=(t0.answers, t1.answers),
                       frameworks=frameworks)

    def deltas(self, enterprise: str, framework: str) -> list[Comparison]:
        """T0 → T1 → … → Tn: each assessment of the enterprise compared with the one before."""
        entries = self.history(enterprise, framework)
        return [self.compare(a.uid, b.uid) for a, b in itertools.pairwise(entries)]

    # -- moving between databases ------------------------------------------------------------

    def export_lines(self) -> Iterator[str]:
        """JSON Lines: every spec snapshot, then every assessment in the order recorded."""
        with self.engine.connect() as connection:
            for row in connection.execute(sa.select(framework_specs)
                                          .order_by(framework_specs.c.content_hash)):
                yield canonical({"record": "spec", "content_hash": row.content_hash,
                                 "framework": row.framework, "version": row.version,
                                 "profile": row.profile, "spec": json.loads(row.spec)})
            query = (sa.select(results.c.uid, results.c.recorded_at, results.c.source,
                               answer_sets.c.body.label("answers"), results.c.body)
                     .join(answer_sets, answer_sets.c.id == results.c.answer_set_id)
                     .order_by(results.c.id))
            for row in connection.execution_options(yield_per=1000).execute(query):
                yield canonical({"record": "assessment", "uid": row.uid,
                                 "recorded_at": row.recorded_at, "source": row.source,
                                 "answers": json.loads(row.answers),
                                 "result": json.loads(row.body)})

    def import_lines(self, lines: Iterable[str], *, file: str | None = None) -> tuple[int, int]:
        """Read an export; every line is checked first, then all are written in one transaction.

        Assessments already in the store (same uid) are skipped, so an import can be re-run.
        Returns (assessments added, assessments skipped).
        """
        from smesdk.store.lines import parse_lines

        specs, items = parse_lines(lines, file)
        with self.engine.connect() as connection:
            known_specs = set(connection.execute(sa.select(framework_specs.c.content_hash)).scalars())
        missing = sorted({item.result.provenance.content_hash for item in items}
                         - known_specs - set(specs))
        if missing:
            raise SmesdkError([f"store: no framework snapshot {h} in the file or the store"
                               for h in missing], title=f"{file or 'import'}: nothing imported")
        added = skipped = 0
        with self.engine.begin() as connection:
            writer = _Writer(connection)
            for row in specs.values():
                writer.put_spec(row)
            for item in items:
                exists = connection.execute(sa.select(results.c.id)
                                            .where(results.c.uid == item.uid)).first()
                if exists is not None:
                    skipped += 1
                    continue
                writer.write(item)
                added += 1
        return added, skipped


_FIND_ENTERPRISE = sa.select(enterprises.c.id).where(enterprises.c.key == sa.bindparam("key"))


class _Writer:
    """The writes of one transaction, remembering the enterprises and specs already written."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.enterprise_ids: dict[str, int] = {}
        self.specs: set[str] = set()
        from sqlalchemy.dialects import postgresql, sqlite

        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        # ON CONFLICT DO NOTHING: two writers adding the same enterprise or spec both succeed.
        self.add_enterprise: sa.Executable = insert(enterprises).on_conflict_do_nothing(
            index_elements=["key"])
        self.add_spec: sa.Executable = insert(framework_specs).on_conflict_do_nothing(
            index_elements=["content_hash"])

    def put_spec(self, row: dict[str, Any]) -> None:
        if row["content_hash"] not in self.specs:
            self.connection.execute(self.add_spec, row)
            self.specs.add(row["content_hash"])

    def enterprise_id(self, enterprise: Enterprise) -> int:
        key = enterprise_key(enterprise)
        if key not in self.enterprise_ids:
            self.connection.execute(self.add_enterprise, {
                "key": key, "name": enterprise.name, "credit_code": enterprise.credit_code})
            found = self.connection.execute(_FIND_ENTERPRISE, {"key": key}).scalar_one()
            self.enterprise_ids[key] = int(found)
        return self.enterprise_ids[key]

    def write(self, item: Assessment) -> None:
        enterprise_id = self.enterprise_id(item.answers.enterprise)
        inserted = self.connection.execute(answer_sets.insert(), {
            "enterprise_id": enterprise_id, "assessed_on": item.answers.date,
            "body": dumps_json(item.answers, indent=None)}).inserted_primary_key
        assert inserted is not None  # an INSERT of one row always has its key
        result = item.result
        self.connection.execute(results.insert(), {
            "uid": item.uid, "enterprise_id": enterprise_id, "answer_set_id": inserted[0],
            "content_hash": result.provenance.content_hash,
            "framework": result.provenance.framework, "assessed_on": result.assessed_on,
            "recorded_at": item.recorded_at, "source": item.source, "total": str(result.total),
            "level": result.level.id if result.level else None,
            "level_rank": result.level.rank if result.level else None,
            "body": result.to_json(indent=None)})


def spec_row(framework: Framework) -> dict[str, Any]:
    """The snapshot row of a framework: its registered spec and profile, keyed by content hash."""
    return {"content_hash": framework.content_hash, "framework": framework.id,
            "version": framework.version, "profile": framework.profile,
            "spec": canonical(unstructure(framework.base))}


def framework_from_snapshot(spec_text: str, profile: str | None, content_hash: str) -> Framework:
    """Rebuild a framework from its snapshot, with the installed kinds and result hooks."""
    from smesdk import default_host

    host = default_host()
    spec = spec_from_data(json.loads(spec_text), "json", file=f"snapshot {content_hash}")
    framework = Framework.from_spec(spec, registry=host.registry, profile=profile,
                                    plugin="store", hooks=host)
    if framework.content_hash != content_hash:
        raise SmesdkError([f"store: snapshot {content_hash} rebuilds as {framework.content_hash}; "
                           "this smesdk reads the spec differently and cannot re-explain it"])
    return framework


def open_store(target: str | Path | None = None, *, upgrade_schema: bool = True) -> Store:
    """Open (and create or upgrade) the store at a URL, a SQLite file path, $SMESDK_STORE, or
    ``smesdk-store.sqlite`` in the working folder."""
    engine = make_engine(store_url(target))
    if upgrade_schema:
        upgrade(engine)
    return Store(engine)
