"""Forms for indicators, measured values, targets, period locks, imports and assessments. They only shape input
(text into lists, a scale into steps, breakdown fields into a dict); every rule is checked by the services."""

from typing import Any

from django import forms
from django.db.models import Q

from goldthread.aars.models import Observation
from goldthread.events.models import Event
from goldthread.measures import selectors
from goldthread.measures.models import CRITERIA, Assessment, Evidence, Indicator, Measurement
from goldthread.measures.services import ASSESSMENT_FIELDS, INDICATOR_FIELDS
from goldthread.strategy.models import Objective, Organization
from goldthread.strategy.selectors import descendant_ids

# The largest file the import takes from the page: the preview carries it back for confirmation in a hidden field
# (base64, a third larger), which must stay under DATA_UPLOAD_MAX_MEMORY_SIZE. Larger files go through the API.
IMPORT_MAX_BYTES = 1024 * 1024
TEXT_LENGTH = 20_000


class DateInput(forms.DateInput):
    input_type = "date"


class ObjectiveChoice(forms.ModelChoiceField):
    def label_from_instance(self, objective: Objective) -> str:
        return f"{objective.code} ({objective.get_level_display()}): {objective.statement[:80]}"


class EventChoice(forms.ModelChoiceField):
    def label_from_instance(self, event: Event) -> str:
        return f"{event.code} {event.name} ({event.start_date:%d %b %Y})"


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, indicator: Indicator) -> str:
        return f"{indicator.code}: {indicator.statement[:80]}"


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    objective = ObjectiveChoice(
        Objective.objects.exclude(status=Objective.Status.RETIRED).order_by("level", "code"),
        required=False,
        help_text="A MOE measures an outcome objective (national to country level); a MOP an event objective.",
    )
    event = EventChoice(
        Event.objects.order_by("-start_date", "code"),
        required=False,
        help_text="Only for a MOP: the event whose activity it counts. Leave the objective empty then.",
    )
    rolls_up_to = IndicatorChoice(Indicator.objects.all(), required=False, label="Rolls up to")
    disaggregations = forms.CharField(
        required=False,
        max_length=300,
        help_text="Breakdowns a value may carry, separated by commas, e.g. sex, partner unit.",
    )
    scale = forms.CharField(
        label="Rating scale",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only for a rating: one step per line as value = anchor, e.g. 1 = No plan exists. "
        "Leave empty for a count or an amount.",
    )
    criteria = forms.MultipleChoiceField(
        label="Quality prompts",
        choices=list(CRITERIA.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each one that holds for this indicator; those left unticked are shown on its page.",
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DateInput,
        }

    def __init__(self, *args, **kwargs):
        instance: Indicator | None = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault(
                "initial",
                {
                    "version": instance.version,
                    "disaggregations": ", ".join(instance.disaggregations),
                    "scale": "\n".join(f"{float(s['value']):g} = {s['label']}" for s in instance.scale),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.order_by("short_name")
        if instance is not None and instance.pk:
            self.fields["rolls_up_to"].queryset = Indicator.objects.exclude(pk=instance.pk)
        for name in ("statement", "method"):
            self.fields[name].max_length = TEXT_LENGTH

    def clean_disaggregations(self) -> list[str]:
        text = self.cleaned_data["disaggregations"]
        return [name.strip() for name in text.split(",") if name.strip()]

    def clean_scale(self) -> list[dict[str, Any]]:
        steps = []
        for line in self.cleaned_data["scale"].splitlines():
            if not line.strip():
                continue
            value, sep, label = line.partition("=")
            try:
                number = float(value.strip())
            except ValueError:
                number = None
            if not sep or number is None or not label.strip():
                raise forms.ValidationError(
                    f"Write each step as value = anchor, e.g. 1 = No plan exists (not {line!r})."
                )
            steps.append({"value": int(number) if number.is_integer() else number, "label": label.strip()})
        return steps

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ValueForm(forms.Form):
    """One measured value. Shaped by its indicator: a ratio takes its two parts, a rating a step of its scale, and
    each breakdown the indicator declares gets a field."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=DateInput, help_text="The day the value describes; it counts in that fiscal quarter.")
    value = forms.FloatField(required=False)
    numerator = forms.FloatField(required=False)
    denominator = forms.FloatField(required=False)
    event = EventChoice(
        Event.objects.none(),
        required=False,
        help_text="The event it was collected at, if any: only events that collect this indicator are offered.",
    )
    note = forms.CharField(required=False, max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    markings = forms.CharField(required=False, max_length=120)
    # Where the value was entered from: the AAR's data-collection list links here with source=AAR.
    source = forms.TypedChoiceField(
        choices=[(s, s) for s in (Measurement.Source.FORM, Measurement.Source.AAR)],
        required=False,
        empty_value=Measurement.Source.FORM,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["event"].queryset = selectors.collectors(indicator)
        self.fields["value"].help_text = f"In {indicator.unit}."
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            del self.fields["value"]
            self.fields["numerator"].required = self.fields["denominator"].required = True
        else:
            del self.fields["numerator"], self.fields["denominator"]
        if indicator.is_rating:
            self.fields["value"] = forms.TypedChoiceField(
                label="Rating",
                coerce=float,
                choices=[("", "—")] + [(f"{v:g}", f"{v:g}: {label}") for v, label in sorted(indicator.anchors.items())],
                help_text=f"A step of {indicator.code}'s scale.",
            )
        self.breakdowns = list(indicator.disaggregations)
        for n, name in enumerate(self.breakdowns):
            self.fields[f"breakdown_{n}"] = forms.CharField(
                label=name[:1].upper() + name[1:], required=False, max_length=120
            )

    @staticmethod
    def initial_from(m: Measurement) -> dict[str, Any]:
        initial = {name: getattr(m, name) for name in ("date", "value", "numerator", "denominator", "note", "markings")}
        if m.indicator.is_rating:
            initial["value"] = f"{m.value:g}"
        initial["event"] = m.event_id
        for n, name in enumerate(m.indicator.disaggregations):
            initial[f"breakdown_{n}"] = m.disaggregation.get(name, "")
        return {**initial, "version": m.version}

    @property
    def breakdown_fields(self) -> list:
        return [self[f"breakdown_{n}"] for n in range(len(self.breakdowns))]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "value" in self.fields and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", "Give the value.")
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in ("date", "numerator", "denominator", "event")}
        # A ratio's value is computed from its parts by the service; the model needs a number meanwhile.
        fields["value"] = data["value"] if "value" in self.fields else 0.0
        fields["note"] = data["note"].strip()
        fields["markings"] = data["markings"].strip()
        fields["disaggregation"] = {
            name: data[f"breakdown_{n}"].strip()
            for n, name in enumerate(self.breakdowns)
            if data[f"breakdown_{n}"].strip()
        }
        return fields


class VersionForm(forms.Form):
    """A workflow step on a record read at `version`: stale, it is refused rather than applied blindly."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    """Approving or returning a submitted value; a return says what is wrong."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Reason for returning it",
        required=False,
        max_length=2000,
        help_text="Required to return the value: say what is wrong so it can be fixed.",
    )


class TargetForm(forms.Form):
    period = forms.CharField(max_length=10, help_text="A fiscal year (FY2027) or quarter (FY2027-Q2).")
    value = forms.FloatField(required=False, help_text="Leave empty to remove the target of that period.")

    def clean_period(self) -> str:
        return self.cleaned_data["period"].strip().upper()


class LockForm(forms.Form):
    period = forms.CharField(
        max_length=10, help_text="A fiscal year (FY2027, with its quarters) or a quarter (FY2027-Q2)."
    )

    def clean_period(self) -> str:
        return self.cleaned_data["period"].strip().upper()


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Values file (.csv or .xlsx)",
        help_text="Columns: indicator (code), date (YYYY-MM-DD), value, or numerator and denominator, event (code), "
        "note; any other column is a breakdown, e.g. sex. At most 1 MB from this page.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; this page takes files up to 1 MB. "
                "Split it, or send it through the API."
            )
        return upload


class ConfirmImportForm(forms.Form):
    """What the preview carries back: the file itself, so that the confirmation checks and writes exactly it."""

    name = forms.CharField(max_length=200, widget=forms.HiddenInput)
    content = forms.CharField(max_length=IMPORT_MAX_BYTES * 4 // 3 + 8, widget=forms.HiddenInput, strip=False)


class AssessmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FIELDS
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4}), "rating": forms.RadioSelect}
        help_texts = {"period": "The fiscal year (FY2027) or quarter (FY2027-Q2) assessed."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [(k, f"{k} — {v}") for k, v in Assessment.SCALE.items()]
        self.fields["rationale"].max_length = TEXT_LENGTH
        self.fields["period"].widget.attrs["placeholder"] = "FY2027"

    def clean_period(self) -> str:
        return self.cleaned_data["period"].strip().upper()

    def _post_clean(self) -> None:
        """Leave model validation to the service."""

    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Evidence", choices=Evidence.Kind.choices, widget=forms.RadioSelect)
    indicator = IndicatorChoice(
        Indicator.objects.none(), required=False, help_text="Indicators of this objective and of those below it."
    )
    observation = forms.ModelChoiceField(
        Observation.objects.none(),
        required=False,
        label="AAR observation",
        help_text="Observations of AARs on events that claim this objective.",
    )
    document = forms.CharField(required=False, max_length=300, help_text="Title and place of the document.")
    note = forms.CharField(required=False, max_length=500, label="What it shows")

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        below = {objective.pk} | descendant_ids(objective.pk)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            Q(objective__id__among=below) | Q(event__claims__objective__id__among=below)
        ).distinct()
        self.fields["observation"].queryset = (
            Observation.objects.filter(claim__objective=objective).select_related("report__event").order_by("-id")
        )
        self.fields["observation"].label_from_instance = lambda o: f"{o.report.event.code}: {o.title}"
