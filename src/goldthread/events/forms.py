"""Forms for events and claims. They only shape input; every rule is checked by the services."""

from django import forms
from django.db.models import Q

from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Country, Objective, Organization


class DateInput(forms.DateInput):
    input_type = "date"


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    countries = forms.ModelMultipleChoiceField(
        Country.objects.filter(in_aor=True), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    partner_units = forms.ModelMultipleChoiceField(
        Organization.objects.filter(echelon="PARTNER_UNIT"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    supporting_units = forms.ModelMultipleChoiceField(
        Organization.objects.exclude(echelon="PARTNER_UNIT"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Event
        fields = [
            "code",
            "record_id",
            "name",
            "event_type",
            "series",
            "parent",
            "start_date",
            "end_date",
            "countries",
            "executing_unit",
            "partner_units",
            "supporting_units",
            "authority",
            "description",
            "markings",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executing_unit"].queryset = Organization.objects.exclude(echelon="PARTNER_UNIT")
        self.fields["parent"].queryset = Event.objects.filter(event_type="PATHWAYS")

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""


INLINE_CHOICES = 300


class ClaimForm(forms.ModelForm):
    objective = forms.ModelChoiceField(
        Objective.objects.exclude(status=Objective.Status.RETIRED).order_by("level", "code"),
        help_text="The objective this event serves: theater-wide, or of a country the event is held in.",
    )

    class Meta:
        model = ContributionClaim
        fields = [
            "objective",
            "role",
            "objective_type",
            "expected_change",
            "indicator",
            "direction",
            "time_lag_months",
            "assumptions",
        ]
        widgets = {
            "expected_change": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # The objectives that apply where the event is held: an enterprise holds tens of thousands, and a list of
        # them all would be neither readable nor quick to send.
        held = Q(country__isnull=True) | Q(country__in=event.countries.all())
        objective = self.fields["objective"]
        objective.queryset = objective.queryset.filter(held)
        self.fields["objective_type"].required = False
        self.fields["objective_type"].help_text = "Leave empty for the objective's primary type."

    def fits_inline(self) -> bool:
        """Whether the objectives to choose from are few enough for the form to sit on the event's page: a country of
        an enterprise has thousands, half a second to render; past INLINE_CHOICES the form is a page of its own."""
        choices = self.fields["objective"].queryset.order_by()
        return choices[: INLINE_CHOICES + 1].count() <= INLINE_CHOICES

    def _post_clean(self) -> None:
        """Leave model validation to the service."""
