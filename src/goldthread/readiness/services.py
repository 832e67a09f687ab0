"""Every write to entry rules and travelers: permission, validation, the rules across records, audit.

A passport number comes in whole and is cut to its last four characters before anything else sees it, so neither
the database nor the audit trail ever holds it; the audit trail does not even hold those four characters.
"""

from typing import Any

from django.db import transaction

from goldthread.core import audit, records
from goldthread.core.errors import Conflict, DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, require
from goldthread.events.models import Event
from goldthread.readiness.models import EntryRule, TrainingRecord, Traveler, Visa
from goldthread.readiness.selectors import entry_rules
from goldthread.strategy.models import Country

RULE_FIELDS = [
    "country_clearance_days",
    "theater_clearance_days",
    "official_passport_required",
    "official_passport_business_days",
    "visa_required",
    "visa_business_days",
    "entry_on_orders",
    "training",
    "notes",
    "markings",
]
# What the audit trail shows of a traveler: not the passport's last characters.
TRAVELER_FIELDS = [
    "name",
    "unit",
    "user",
    "passport_type",
    "passport_expires",
    "passport_waiver",
    "entry_on_orders",
    "country_clearance",
    "theater_clearance",
    "notes",
    "markings",
]


def _training_list(training: list[dict]) -> list[dict]:
    """Names trimmed, so that "AT Level 1 " and "AT Level 1" are one training."""
    return [
        {**entry, "name": entry["name"].strip()}
        if isinstance(entry, dict) and isinstance(entry.get("name"), str)
        else entry
        for entry in training
    ]


def set_entry_rule(*, actor: User, country: Country, version: int | None, fields: dict[str, Any]) -> EntryRule:
    """Create the country's entry rules, or replace them. Replacing needs the version that was read."""
    if isinstance(fields.get("training"), list):
        fields = {**fields, "training": _training_list(fields["training"])}
    existing = EntryRule.objects.filter(country=country).first()
    if existing is None:
        require(actor, "readiness.add_entryrule", Scope(countries=frozenset({country.pk})))
        return records.create(
            actor,
            EntryRule,
            permission="readiness.add_entryrule",
            action="entryrule.created",
            fields={"country": country, **fields},
        )
    require(actor, "readiness.change_entryrule", existing)
    if version is None:
        raise Conflict(
            f"{existing} already exist (version {existing.version}): send the version you read, so that nobody's "
            "change is overwritten unseen.",
            {"version": [f"required: stored version is {existing.version}"]},
        )
    return records.update(
        actor,
        existing,
        permission="readiness.change_entryrule",
        action="entryrule.updated",
        version=version,
        changes=fields,
    )


def last4(passport_number: str) -> str:
    """The last four characters of a passport number: the only part Goldthread keeps."""
    cleaned = passport_number.replace(" ", "").replace("-", "").upper()
    if not (cleaned.isascii() and cleaned.isalnum()):
        raise DomainError.on("passport_number", "A passport number has only letters and digits.")
    if len(cleaned) < 4:
        raise DomainError.on("passport_number", "Give the passport number, or at least its last four characters.")
    return cleaned[-4:]


def _check_traveler(traveler: Traveler) -> None:
    if traveler.unit.is_partner:
        raise DomainError.on(
            "unit", f"{traveler.unit} is a partner unit; the board tracks U.S. travelers and their clearances."
        )
    if traveler.passport_type != Traveler.PassportType.NONE and traveler.passport_expires is None:
        raise DomainError.on("passport_expires", "Give the passport's expiry date: readiness depends on it.")
    if traveler.entry_on_orders:
        rules = entry_rules(list(traveler.event.countries.all()))
        if not any(r.rule.entry_on_orders for r in rules):
            names = ", ".join(r.country.name for r in rules) or "the event's countries"
            raise DomainError.on(
                "entry_on_orders",
                f"{names} allow{'s' if len(rules) == 1 else ''} no entry on orders under a SOFA or VFA; "
                "record a passport instead.",
            )


def _validate_row(row: Visa | TrainingRecord, prefix: str) -> None:
    """A list entry's field errors, named by their place in the list (`visas.0.expires`)."""
    try:
        records.validate(row, exclude=["traveler"])
    except DomainError as exc:
        errors = {f"{prefix}.{name}": messages for name, messages in exc.errors.items()}
        raise DomainError(exc.detail, errors) from exc


def _visa_rows(traveler: Traveler, visas: list[dict]) -> list[Visa]:
    rows, seen = [], set()
    for n, visa in enumerate(visas):
        row = Visa(traveler=traveler, **visa)
        _validate_row(row, f"visas.{n}")
        if row.country_id in seen:
            raise DomainError.on(f"visas.{n}", f"Two visas for {row.country}: keep the one that is valid.")
        seen.add(row.country_id)
        rows.append(row)
    return rows


def _training_rows(traveler: Traveler, training: list[dict]) -> list[TrainingRecord]:
    rows, seen = [], set()
    for n, entry in enumerate(training):
        row = TrainingRecord(traveler=traveler, **{**entry, "name": entry["name"].strip()})
        _validate_row(row, f"training.{n}")
        if row.name.casefold() in seen:
            raise DomainError.on(f"training.{n}", f"{row.name} is listed twice: keep the latest completion.")
        seen.add(row.name.casefold())
        rows.append(row)
    return rows


def _documents(traveler: Traveler) -> dict[str, list[str]]:
    return {
        "visas": [str(v) for v in traveler.visas.select_related("country")],
        "training": [str(t) for t in traveler.training.all()],
    }


def _replace_documents(traveler: Traveler, visas: list[Visa] | None, training: list[TrainingRecord] | None) -> None:
    if visas is not None:
        traveler.visas.all().delete()
        Visa.objects.bulk_create(visas)
    if training is not None:
        traveler.training.all().delete()
        TrainingRecord.objects.bulk_create(training)


def _passport_fields(fields: dict[str, Any], passport_number: str | None) -> dict[str, Any]:
    kept = last4(passport_number) if passport_number else None
    if fields.get("passport_type", Traveler.PassportType.NONE) == Traveler.PassportType.NONE:
        if kept:
            raise DomainError.on("passport_number", "Choose the passport's type too: without a passport, no number.")
        return {**fields, "passport_last4": "", "passport_expires": None}
    return {**fields, "passport_last4": kept} if kept else fields


def add_traveler(
    *,
    actor: User,
    event: Event,
    passport_number: str = "",
    visas: list[dict] = (),
    training: list[dict] = (),
    **fields: Any,
) -> Traveler:
    require(actor, "readiness.add_traveler", event)
    traveler = Traveler(event=event, **_passport_fields(fields, passport_number))
    records.validate(traveler)
    _check_traveler(traveler)
    visa_rows, training_rows = _visa_rows(traveler, list(visas)), _training_rows(traveler, list(training))
    with transaction.atomic():
        traveler.save()
        _replace_documents(traveler, visa_rows, training_rows)
        snapshot = audit.snapshot(traveler, TRAVELER_FIELDS)
        audit.record(actor, "traveler.added", traveler, {**snapshot, **_documents(traveler)})
    return traveler


def update_traveler(
    *,
    actor: User,
    traveler: Traveler,
    version: int | None,
    changes: dict[str, Any],
    passport_number: str | None = None,
    visas: list[dict] | None = None,
    training: list[dict] | None = None,
) -> Traveler:
    """Change a traveler's fields; `visas` and `training`, when given, replace the lists. An empty passport number
    keeps the stored last characters."""
    require(actor, "readiness.change_traveler", traveler)
    changes = _passport_fields(
        {"passport_type": changes.get("passport_type", traveler.passport_type), **changes}, passport_number
    )
    before = {**audit.snapshot(traveler, TRAVELER_FIELDS), **_documents(traveler)}
    old_last4 = traveler.passport_last4
    for name, value in changes.items():
        setattr(traveler, name, value)
    records.validate(traveler)
    _check_traveler(traveler)
    visa_rows = _visa_rows(traveler, visas) if visas is not None else None
    training_rows = _training_rows(traveler, training) if training is not None else None
    with transaction.atomic():
        records.save_changes(traveler, version=version, changes=changes)
        _replace_documents(traveler, visa_rows, training_rows)
        changed = audit.diff(before, {**audit.snapshot(traveler, TRAVELER_FIELDS), **_documents(traveler)})
        if traveler.passport_last4 != old_last4:
            changed["passport_number"] = ["…", "changed"]
        audit.record(actor, "traveler.updated", traveler, changed)
    return traveler


def remove_traveler(*, actor: User, traveler: Traveler) -> None:
    require(actor, "readiness.delete_traveler", traveler)
    with transaction.atomic():
        audit.record(actor, "traveler.removed", traveler, audit.snapshot(traveler, TRAVELER_FIELDS))
        traveler.delete()
