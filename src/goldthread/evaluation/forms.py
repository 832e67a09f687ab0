"""The filters every evaluation page shares (country, objective, organization and fiscal year), and a country's
standing in the portfolio."""

from datetime import date

from django import forms

from goldthread.core.errors import DomainError
from goldthread.evaluation.findings import Filters
from goldthread.evaluation.models import CountryStanding
from goldthread.evaluation.services import STANDING_FIELDS
from goldthread.events.models import Event
from goldthread.strategy.models import Country, Organization
from goldthread.web.errors import show_in_form


class FilterForm(forms.Form):
    country = forms.ChoiceField(required=False)
    organization = forms.ChoiceField(required=False, help_text="With the units below it.")
    objective = forms.CharField(required=False, max_length=40, help_text="Code; with the objectives below it.")
    fiscal_year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Fiscal year")

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.today = today
        self.fields["country"].choices = [("", "All countries")] + [
            (c.iso3, c.name) for c in Country.objects.filter(in_aor=True).order_by("name")
        ]
        self.fields["organization"].choices = [("", "All organizations")] + [
            (o.short_name, o.short_name)
            for o in Organization.objects.exclude(echelon="PARTNER_UNIT").order_by("short_name")
        ]
        years = Event.objects.values_list("fiscal_year", flat=True).distinct().order_by("-fiscal_year")
        self.fields["fiscal_year"].choices = [("", "All years")] + [(y, f"FY{y}") for y in years]

    def clean(self) -> dict:
        data = super().clean()
        try:
            data["filters"] = Filters.parse(
                self.today,
                country=data.get("country") or "",
                objective=(data.get("objective") or "").strip(),
                organization=data.get("organization") or "",
                fiscal_year=data.get("fiscal_year"),
            )
        except DomainError as error:
            show_in_form(self, error)
        return data

    def filters(self) -> Filters:
        """The filters asked for, or none at all when they could not be read (the errors show on the form)."""
        return self.cleaned_data["filters"] if self.is_valid() else Filters.of(self.today)


class StandingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CountryStanding
        fields = STANDING_FIELDS
        widgets = {
            "relationship": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "capability": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
