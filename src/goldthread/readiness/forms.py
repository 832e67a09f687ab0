"""Forms for entry rules and travelers. They only shape input; the services check every rule.

Lists are typed one entry per line, parts separated by semicolons, as in the conference form: required training as
`name; months`, visas as `ISO code; expiry`, completed training as `name; date`. A line that cannot be read is named
by its number.
"""

from datetime import date

from django import forms
from django.core.validators import MaxLengthValidator

from goldthread.core.models import User
from goldthread.readiness.models import EntryRule, Traveler
from goldthread.readiness.services import RULE_FIELDS
from goldthread.strategy.models import Country, Organization

NOTES_LENGTH = 20_000
MAX_LINES = 40


def _lines(text: str) -> list[tuple[int, list[str]]]:
    found = [(n, [p.strip() for p in line.split(";")]) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(found) > MAX_LINES:
        raise forms.ValidationError(f"Give at most {MAX_LINES} lines.")
    return found


def _day(value: str, n: int) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(f"Line {n}: write the date as YYYY-MM-DD.") from None


class EntryRuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    training = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text="One per line: name; months it stays current, e.g. “AT Level 1; 12”.",
    )

    class Meta:
        model = EntryRule
        fields = RULE_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "country_clearance_days": "Country clearance (APACS) lead time, calendar days",
            "theater_clearance_days": "Theater clearance lead time, calendar days",
            "official_passport_business_days": "Passport lead time, business days",
            "visa_business_days": "Visa lead time, business days",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].validators.append(MaxLengthValidator(NOTES_LENGTH))
        if not self.is_bound and isinstance(self.initial.get("training"), list):
            self.initial["training"] = "\n".join(f"{t['name']}; {t['months']}" for t in self.initial["training"])

    def clean_training(self) -> list[dict]:
        found = []
        for n, parts in _lines(self.cleaned_data["training"]):
            name, months = (parts + [""])[:2]
            if not months.isdigit() or len(months) > 4:
                raise forms.ValidationError(f"Line {n}: give the months it stays current after a semicolon.")
            found.append({"name": name, "months": int(months)})
        return found

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TravelerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    username = forms.CharField(
        label="User name", max_length=150, required=False, help_text="The traveler's account, if they have one."
    )
    passport_number = forms.CharField(
        max_length=20,
        required=False,
        help_text="Only its last four characters are kept. Leave empty to keep what is stored.",
    )
    visas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="One per line: country ISO code; valid until (YYYY-MM-DD), e.g. “THA; 2027-06-30”.",
    )
    training_done = forms.CharField(
        label="Training completed",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="One per line: training; date completed (YYYY-MM-DD), e.g. “AT Level 1; 2026-09-14”.",
    )

    class Meta:
        model = Traveler
        fields = [
            "name",
            "unit",
            "passport_type",
            "passport_expires",
            "passport_waiver",
            "entry_on_orders",
            "country_clearance",
            "theater_clearance",
            "notes",
            "markings",
        ]
        widgets = {"passport_expires": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea({"rows": 2})}

    field_order = ["name", "unit", "username", "passport_type", "passport_number", "passport_expires"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.exclude(echelon="PARTNER_UNIT").order_by("short_name")
        self.fields["notes"].validators.append(MaxLengthValidator(NOTES_LENGTH))

    @classmethod
    def initial_from(cls, traveler: Traveler) -> dict:
        initial = {name: getattr(traveler, name) for name in cls.Meta.fields if name != "unit"}
        return {
            **initial,
            "unit": traveler.unit_id,
            "version": traveler.version,
            "username": traveler.user.username if traveler.user else "",
            "visas": "\n".join(f"{v.country.iso3}; {v.expires}" for v in traveler.visas.all()),
            "training_done": "\n".join(f"{t.name}; {t.completed}" for t in traveler.training.all()),
        }

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        found = User.objects.filter(username=username).first()
        if found is None:
            raise forms.ValidationError(f"No user named “{username}”.")
        return found

    def clean_visas(self) -> list[dict]:
        found = []
        for n, parts in _lines(self.cleaned_data["visas"]):
            iso3, expires = (parts + [""])[:2]
            country = Country.objects.filter(iso3=iso3.upper()[:3]).first() if len(iso3) == 3 else None
            if country is None:
                raise forms.ValidationError(f"Line {n}: “{iso3[:20]}” is not a country's ISO code, e.g. THA.")
            found.append({"country": country, "expires": _day(expires, n)})
        return found

    def clean_training_done(self) -> list[dict]:
        found = []
        for n, parts in _lines(self.cleaned_data["training_done"]):
            name, completed = (parts + [""])[:2]
            found.append({"name": name, "completed": _day(completed, n)})
        return found

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            **data,
            "user": self.cleaned_data["username"],
            "passport_number": self.cleaned_data["passport_number"].strip(),
            "visas": self.cleaned_data["visas"],
            "training": self.cleaned_data["training_done"],
        }
