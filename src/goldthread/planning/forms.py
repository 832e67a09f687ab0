"""The conference record form. Attendees and items are typed one per line, fields separated by semicolons, so a
record from a slide deck or notes can be pasted in; each line is checked and reported by its number."""

from datetime import date

from django import forms

from goldthread.planning.models import Conference, Item
from goldthread.strategy.models import Organization

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
