"""Forms for conference records, orders, themes and requests for information. They only shape input; the
services check every rule.

Conference attendees and items are typed one per line, fields separated by semicolons, so a record from a slide
deck or notes can be pasted in; each line is checked and reported by its number. Talking points and sensitivities of
a theme are one per line too."""

from datetime import date

from django import forms
from django.core.validators import MaxLengthValidator

from goldthread.events.models import EventSeries
from goldthread.planning.models import Conference, InformationRequest, Item, Order, Theme
from goldthread.strategy.models import Country, Organization

# The same limits the API puts on these fields (planning/schemas.py), so a form cannot store what the API refuses.
PARAGRAPH_LENGTH = 20_000
LINES_LENGTH = 10_000
MAX_OBJECTIVES = 50

ITEM_FIELDS = {
    Item.Kind.PARTNER_OBJECTIVE: "partner_objectives",
    Item.Kind.DECISION: "decisions",
    Item.Kind.AGREEMENT: "agreements",
    Item.Kind.OPEN_ISSUE: "open_issues",
    Item.Kind.ACTION: "actions",
}


def _lines(text: str) -> list[tuple[int, list[str]]]:
    return [
        (n, [part.strip() for part in line.split(";")]) for n, line in enumerate(text.splitlines(), 1) if line.strip()
    ]


def _organization(short_name: str, line: int) -> Organization | None:
    if not short_name:
        return None
    found = Organization.objects.filter(short_name=short_name).first()
    if found is None:
        raise forms.ValidationError(f"Line {line}: no organization with short name “{short_name}”.")
    return found


class ConferenceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(choices=Conference.Kind.choices)
    starts = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="One per line: name; organization short name (empty for partner attendees); role.",
    )
    partner_objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What the partner wants from the event, one per line.",
    )
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line.")
    agreements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Scope, numbers, training areas, support — one per line.",
    )
    open_issues = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line.")
    actions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line: what; owner organization short name; due date (YYYY-MM-DD).",
    )

    def clean_attendees(self) -> list[dict]:
        rows = []
        for n, parts in _lines(self.cleaned_data["attendees"]):
            name, org, role = (parts + ["", ""])[:3]
            if not name:
                raise forms.ValidationError(f"Line {n}: give the attendee's name first.")
            rows.append({"name": name[:120], "organization": _organization(org, n), "role": role[:120]})
        return rows

    def clean_actions(self) -> list[dict]:
        rows = []
        for n, parts in _lines(self.cleaned_data["actions"]):
            text, owner, due = (parts + ["", ""])[:3]
            try:
                when = date.fromisoformat(due)
            except ValueError:
                raise forms.ValidationError(f"Line {n}: the due date must be written YYYY-MM-DD.") from None
            rows.append({"kind": Item.Kind.ACTION, "text": text, "owner": _organization(owner, n), "due": when})
        return rows

    def items(self) -> list[dict]:
        found = []
        for kind, name in ITEM_FIELDS.items():
            if kind == Item.Kind.ACTION:
                found += self.cleaned_data["actions"]
            else:
                found += [
                    {"kind": kind, "text": line.strip()}
                    for line in self.cleaned_data[name].splitlines()
                    if line.strip()
                ]
        return found

    @classmethod
    def initial_from(cls, conference: Conference) -> dict:
        items = list(conference.items.select_related("owner"))
        initial = {
            "version": conference.version,
            "kind": conference.kind,
            "starts": conference.starts,
            "ends": conference.ends,
            "place": conference.place,
            "summary": conference.summary,
            "attendees": "\n".join(
                f"{a.name}; {a.organization.short_name if a.organization else ''}; {a.role}"
                for a in conference.attendees.select_related("organization")
            ),
            "actions": "\n".join(
                f"{i.text}; {i.owner.short_name if i.owner else ''}; {i.due or ''}"
                for i in items
                if i.kind == Item.Kind.ACTION
            ),
        }
        for kind, name in ITEM_FIELDS.items():
            if kind != Item.Kind.ACTION:
                initial[name] = "\n".join(i.text for i in items if i.kind == kind)
        return initial


def _one_per_line(text: str) -> str:
    """Talking points and sensitivities are lists kept as lines: drop blank lines and stray spaces so that the
    purpose block shows each point once, as typed."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class OrderForm(forms.ModelForm):
    """An order's own fields, as the API takes them (OrderIn). The number is the service's to give."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Order
        fields = ["kind", "issuer", "title", "change_reason", *[name for name, _ in Order.PARAGRAPHS], "markings"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name, _ in Order.PARAGRAPHS}
        labels = dict(Order.PARAGRAPHS) | {"change_reason": "What it changes, and why"}
        help_texts = {"issuer": "The headquarters that issues the order."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Orders come from U.S. headquarters, never from partner units.
        self.fields["issuer"].queryset = Organization.objects.exclude(echelon="PARTNER_UNIT").order_by("short_name")
        for name, _ in Order.PARAGRAPHS:
            self.fields[name].validators.append(MaxLengthValidator(PARAGRAPH_LENGTH))

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ThemeForm(forms.ModelForm):
    """What an existing theme lets you change (ThemePatch). Where it applies — country, series, objectives — is fixed
    once created, because the update service checks reach against the theme as stored."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Theme
        fields = [
            "title",
            "audience",
            "talking_points",
            "sensitivities",
            "valid_from",
            "valid_until",
            "status",
            "markings",
        ]
        widgets = {
            "talking_points": forms.Textarea(attrs={"rows": 5}),
            "sensitivities": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "talking_points": "One point per line.",
            "sensitivities": "What not to discuss, one per line.",
            "valid_until": "Leave empty while it stays valid.",
            "status": "Only approved themes reach orders and executor packets.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("talking_points", "sensitivities"):
            self.fields[name].validators.append(MaxLengthValidator(LINES_LENGTH))

    def clean_talking_points(self) -> str:
        points = _one_per_line(self.cleaned_data["talking_points"])
        if not points:
            raise forms.ValidationError("Give at least one talking point.")
        return points

    def clean_sensitivities(self) -> str:
        return _one_per_line(self.cleaned_data["sensitivities"])

    def _post_clean(self) -> None:
        """Leave model validation to the service."""

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in ThemeForm.Meta.fields}


class NewThemeForm(ThemeForm):
    """A new theme also says where it applies: a country, an event series, or — with neither — the whole region."""

    country = forms.ModelChoiceField(
        Country.objects.order_by("name"),
        to_field_name="iso3",
        required=False,
        empty_label="— whole region —",
        help_text="Public affairs officers write themes for their own countries; regional themes are the strategic "
        "planners'.",
    )
    series = forms.ModelChoiceField(
        EventSeries.objects.order_by("name"),
        required=False,
        empty_label="— none —",
        help_text="For the events of one series.",
    )
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="Codes of the objectives it supports, one per line or separated by commas, e.g. IMO-THA-2.",
    )
    field_order = ["title", "audience", "talking_points", "sensitivities", "country", "series", "objectives"]

    def clean_objectives(self) -> list[str]:
        codes = [code.strip() for code in self.cleaned_data["objectives"].replace(",", "\n").splitlines()]
        codes = list(dict.fromkeys(code for code in codes if code))
        if len(codes) > MAX_OBJECTIVES:
            raise forms.ValidationError(f"Name at most {MAX_OBJECTIVES} objectives.")
        return codes

    def fields_for_service(self) -> dict:
        return super().fields_for_service() | {k: self.cleaned_data[k] for k in ("country", "series")}


class RequestForm(forms.ModelForm):
    """Ask a question of the executor's checklist (RequestIn)."""

    class Meta:
        model = InformationRequest
        fields = ["topic", "question", "owner", "due", "markings"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3}), "due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.exclude(echelon="PARTNER_UNIT").order_by("short_name")
        self.fields["question"].validators.append(MaxLengthValidator(PARAGRAPH_LENGTH))

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=PARAGRAPH_LENGTH)
