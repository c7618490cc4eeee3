"""What a framework says about the enterprises it assesses, and the checks of an answer set's
``enterprise`` against it.

The core keeps id, name, size, industry, region and type. A framework may declare (in
``enterprise:``, :class:`smesdk.spec.EnterpriseModel`) its size classes (default: micro,
small, medium), its industry classification (default: the 39 CNCA certification categories)
and extra fields with kinds. Every path that scores asks here: the engine refuses an
enterprise that does not fit (each problem at ``enterprise.<field>``) and decides
applicability with :func:`applies`; validation checks the declarations and ``applies_to``
rules with :func:`spec_problems`; forms, reports and stats name sizes and industries from
here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

import attrs

from smesdk.errors import Problem, short
from smesdk.gates import Test, compare
from smesdk.industries import KNOWN, Classification, classification
from smesdk.kinds import YesNoKind
from smesdk.spec import (
    Applicability,
    Compare,
    EnterpriseField,
    EnterpriseFieldKind,
    EnterpriseModel,
    FrameworkSpec,
)
from smesdk.text import Text
from smesdk.tree import walk

if TYPE_CHECKING:
    from smesdk.answers import Enterprise
    from smesdk.spec import Indicator

#: The size classes every framework has unless it declares its own, with their names.
CORE_SIZES: dict[str, Text] = {
    "micro": Text(zh="微型企业", en="micro enterprise"),
    "small": Text(zh="小型企业", en="small enterprise"),
    "medium": Text(zh="中型企业", en="medium-sized enterprise"),
}
_DEFAULT = EnterpriseModel()
_YES_NO = YesNoKind()


def model(spec: FrameworkSpec) -> EnterpriseModel:
    return spec.enterprise if spec.enterprise is not None else _DEFAULT


def size_classes(spec: FrameworkSpec) -> dict[str, Text]:
    """The framework's size classes by id, in the declared order, with their names."""
    sizes = model(spec).sizes
    if not sizes:
        return CORE_SIZES
    return {s.id: s.title if s.title is not None else CORE_SIZES.get(s.id, Text(s.id, s.id))
            for s in sizes}


def size_name(size: str | None, spec: FrameworkSpec | None = None) -> Text:
    """A size class's name (the framework's own classes when ``spec`` is given), else the id as
    written: what a reader sees instead of "medium"."""
    names = size_classes(spec) if spec is not None else CORE_SIZES
    found = names.get(size) if size is not None else None
    return found if found is not None else Text(zh=size or "未填", en=size or "not given")


def industries(spec: FrameworkSpec) -> Classification:
    """The industry classification ``enterprise.industry`` is a code of."""
    decl = model(spec)
    if decl.industry_codes:
        name = Text(zh=f"行业分类 {decl.industries}", en=f"the industry list {decl.industries!r}")
        return Classification(decl.industries, name, dict(decl.industry_codes))
    found = classification(decl.industries)
    if found is None:  # validation refuses an unknown name before any enterprise is checked
        raise KeyError(f"unknown industry classification {decl.industries!r}")
    return found


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, not yes/no")
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if number.is_finite():
            return number
    raise ValueError(f"expected a number, got {short(value)}")


def _yes_no(value: Any) -> bool:
    # The yes/no answer kind's words (是/否, yes/no, true/false …); it reads no indicator field.
    return bool(_YES_NO.parse(cast("Indicator", None), value))


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"expected text, got {short(value)}")


@attrs.frozen
class FieldKind:
    """What an extra enterprise field of one kind reads, how it compares, how it is stored."""

    name: EnterpriseFieldKind
    #: The value as the kind reads it; ValueError saying what was expected.
    parse: Callable[[Any], Any]
    #: Compared with bounds (ge, gt, le, lt); otherwise with eq only.
    ordered: bool
    #: The pyarrow type factory of its batch column.
    arrow: str
    #: The questionnaire label that hints how to fill it in (None: no hint).
    hint: str | None
    #: Valid values for generated test data (test kit, synthetic batches).
    samples: tuple[Any, ...]


#: The kinds of extra enterprise fields, by name: every surface asks these.
FIELD_KINDS: dict[str, FieldKind] = {k.name: k for k in (
    FieldKind("number", _number, True, "float64", "hint.number", (0, 9, 49, 50, 250, 499)),
    FieldKind("text", _text, False, "string", None, ("A1", "文本")),
    FieldKind("yesno", _yes_no, False, "bool_", "hint.yesno", (False, True)),
)}


def field_value(field: EnterpriseField, value: Any) -> Any:
    """An extra field's value as its kind reads it; ValueError saying what was expected."""
    return FIELD_KINDS[field.kind].parse(value)


def enterprise_problems(spec: FrameworkSpec, ent: Enterprise) -> list[Problem]:
    """Every way ``ent`` does not fit what the framework declares (empty when it fits)."""
    return list(_problems(spec, ent))


def _problems(spec: FrameworkSpec, ent: Enterprise) -> Iterator[Problem]:
    sizes = size_classes(spec)
    if ent.size not in sizes:
        yield Problem("enterprise.size", f"unknown size class {short(ent.size)} (this "
                                         f"framework's: {', '.join(sizes)})")
    if ent.industry is not None:
        known = industries(spec)
        if known.code(ent.industry) is None:
            yield Problem("enterprise.industry", f"{short(ent.industry)} is not a code of "
                                                 f"{known.describe()}")
    declared = model(spec).fields
    for name, value in ent.fields.items():
        field = declared.get(name)
        if field is None:
            known_fields = ", ".join(declared) or "none"
            yield Problem(f"enterprise.fields.{name}", f"unknown enterprise field (this "
                                                       f"framework declares: {known_fields})")
            continue
        try:
            field_value(field, value)
        except ValueError as exc:
            yield Problem(f"enterprise.fields.{name}", str(exc))
    for name, users in fields_in_rules(spec).items():
        if name in declared and name not in ent.fields:
            yield Problem(f"enterprise.fields.{name}", "missing: it decides which indicators "
                                                       f"apply: {', '.join(users)}")


#: id(spec) -> (spec, {field: indicators whose applies_to reads it}); the spec is kept so
#: that its id cannot be reused while the entry lives.
_RULE_FIELDS: dict[int, tuple[FrameworkSpec, dict[str, list[str]]]] = {}


def fields_in_rules(spec: FrameworkSpec) -> dict[str, list[str]]:
    """Each declared field some ``applies_to`` reads, with the indicators that read it."""
    if not model(spec).fields:
        return {}
    hit = _RULE_FIELDS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    out: dict[str, list[str]] = {}
    for node in walk(spec):
        ind = node.indicator
        if ind is not None and ind.applies_to is not None:
            for name in ind.applies_to.fields:
                out.setdefault(name, []).append(node.id)
    if len(_RULE_FIELDS) > 256:
        _RULE_FIELDS.clear()
    _RULE_FIELDS[id(spec)] = (spec, out)
    return out


def applies(rule: Applicability | None, ent: Enterprise, spec: FrameworkSpec) -> bool:
    """Whether an indicator with this ``applies_to`` applies to the enterprise."""
    if rule is None:
        return True
    if rule.sizes and ent.size not in rule.sizes:
        return False
    if rule.industries and (ent.industry or "") not in rule.industries:
        return False
    if rule.fields:
        declared = model(spec).fields
        for name, test in rule.fields.items():
            try:
                value = field_value(declared[name], ent.fields[name])
            except (KeyError, ValueError):  # missing or malformed: enterprise_problems says so
                return False
            if not field_passes(test, value):
                return False
    return True


def field_passes(test: Compare, value: Any) -> bool:
    """Whether a field's value, as its kind read it, passes an ``applies_to`` test (per
    record, and per distinct cell in batch)."""
    # Compare holds the bounds and eq of a gate test: the gates' comparison reads it.
    return bool(compare(cast("Test", test), value))


_SIZE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: The core's enterprise fields: a framework's own fields take other names.
CORE_FIELDS = ("name", "size", "credit_code", "industry", "region", "type")


def spec_problems(spec: FrameworkSpec) -> Iterator[tuple[str, str]]:
    """Problems of what a spec declares about enterprises and of its ``applies_to`` rules."""
    decl = model(spec)
    seen: set[str] = set()
    for i, size in enumerate(decl.sizes):
        path = f"enterprise.sizes[{i}]"
        if not _SIZE_ID.match(size.id):
            yield f"{path}.id", f"size class {size.id!r} must be lower case letters, digits, " \
                                "'-' or '_'"
        if size.id in seen:
            yield f"{path}.id", f"duplicate size class {size.id!r}"
        seen.add(size.id)
        if size.title is None and size.id not in CORE_SIZES:
            yield f"{path}.title", f"size class {size.id!r} needs its name (only " \
                                   f"{', '.join(CORE_SIZES)} have one already)"
    known: Classification | None = None
    if decl.industry_codes:
        if decl.industries in KNOWN:
            yield "enterprise.industries", f"{decl.industries!r} names a classification the " \
                                           "core knows; give your own list another name"
        else:
            known = industries(spec)
    elif classification(decl.industries) is None:
        yield "enterprise.industries", f"unknown industry classification {decl.industries!r} " \
                                       f"(known: {', '.join(KNOWN)}; or give industry_codes)"
    else:
        known = industries(spec)
    for name in decl.fields:
        if not _FIELD_NAME.match(name):
            yield f"enterprise.fields.{name}", "a field name is lower case letters, digits or " \
                                               "'_', starting with a letter"
        elif name in CORE_FIELDS:
            yield f"enterprise.fields.{name}", f"{name!r} is a core enterprise field already"
    sizes = size_classes(spec)
    for node in walk(spec):
        rule = node.indicator.applies_to if node.indicator is not None else None
        if rule is not None:
            yield from _rule_problems(rule, f"{node.path}.applies_to", sizes, known, decl)


def _rule_problems(rule: Applicability, path: str, sizes: dict[str, Text],
                   known: Classification | None, decl: EnterpriseModel
                   ) -> Iterator[tuple[str, str]]:
    for i, size in enumerate(rule.sizes):
        if size not in sizes:
            yield f"{path}.sizes[{i}]", f"unknown size class {size!r} (this framework's: " \
                                        f"{', '.join(sizes)})"
    for i, code in enumerate(rule.industries):
        listed = known.code(code) if known is not None else code
        if listed is None:
            assert known is not None
            yield f"{path}.industries[{i}]", f"{code!r} is not a code of {known.describe()}"
        elif listed != code:  # enterprises are matched on the code as written
            yield f"{path}.industries[{i}]", f"write {code!r} as the listed code {listed!r}"
    for name, test in rule.fields.items():
        field = decl.fields.get(name)
        if field is None:
            yield f"{path}.fields.{name}", f"unknown enterprise field (this framework " \
                                           f"declares: {', '.join(decl.fields) or 'none'})"
            continue
        bounds = [test.ge, test.gt, test.le, test.lt]
        if test.eq is None and not any(b is not None for b in bounds):
            yield f"{path}.fields.{name}", "give a comparison (eq, ge, gt, le or lt)"
        elif not FIELD_KINDS[field.kind].ordered and any(b is not None for b in bounds):
            yield f"{path}.fields.{name}", f"a {field.kind} field is compared with eq only"
        elif FIELD_KINDS[field.kind].ordered and test.eq is not None:  # floats: inexact
            yield f"{path}.fields.{name}.eq", "compare a number with ge/le (e.g. ge: 50, le: 50)"
        elif test.eq is not None:
            try:
                field_value(field, test.eq)
            except ValueError as exc:
                yield f"{path}.fields.{name}.eq", str(exc)
