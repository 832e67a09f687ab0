"""The filters every evaluation page shares: country, objective, organization and fiscal year."""

from datetime import date

from django import forms

from goldthread.core.errors import DomainError
from goldthread.evaluation.findings import Filters
from goldthread.events.models import Event
from goldthread.strategy.models import Country, Organization


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
            for field, messages in error.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def filters(self) -> Filters:
        """The filters asked for, or none at all when they could not be read (the errors show on the form)."""
        return self.cleaned_data["filters"] if self.is_valid() else Filters.of(self.today)
