"""Forms for after-action reports, observations and lessons. They only shape input; the services check every rule.

An observation's root-cause work is typed in plain boxes — up to five "Why?" answers, a root cause, and key
assumptions as rows of assumption, whether it held, and the evidence — and handed to the service as the structured
`analysis` it stores.
"""

from django import forms
from django.core.validators import MaxLengthValidator

from goldthread.aars.models import ObjectiveReview, Observation, Report
from goldthread.aars.services import MAX_ASSUMPTIONS, MAX_WHYS, REPORT_FIELDS, REVIEW_FIELDS, STAGE_FIELDS
from goldthread.core.catalogues import Echelon
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Organization

# The most a paragraph of a report may hold: a page's worth many times over, and a bound on what one post can store.
PARAGRAPH_LENGTH = 20_000
# Key-assumption rows an observation form shows when none are stored yet.
ASSUMPTION_ROWS = 3
HELD = [("", "—"), ("yes", "Held"), ("no", "Did not hold")]
METHOD = (
    "Answer the four AAR questions — what was planned, what actually happened, why it happened, and what to "
    "sustain or improve — and write each item as observation, discussion and recommendation."
)
CHANNEL_HELP = (
    "Significant and critical items that name a channel are routed to it when the AAR is approved, and tracked "
    "there until someone closes them. Routine items, and items for the AAR only, stay in the report."
)


def _paragraph(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=PARAGRAPH_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Report
        fields = REPORT_FIELDS
        widgets = {
            "hotwash_held": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in REPORT_FIELDS
                if name not in ("hotwash_held", "markings")
            },
        }
        labels = {"hotwash_held": "Hot-wash held on", **{name: heading for name, _, heading, _ in Report.TYPE_SECTIONS}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.validators.append(MaxLengthValidator(PARAGRAPH_LENGTH))

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}


class ReviewForm(forms.Form):
    """The AAR questions for one claimed objective; one per claim on the edit page, told apart by their prefix."""

    planned = _paragraph("What was planned", ObjectiveReview._meta.get_field("planned").help_text, rows=3)
    happened = _paragraph("What actually happened", ObjectiveReview._meta.get_field("happened").help_text, rows=3)
    why = _paragraph("Why", ObjectiveReview._meta.get_field("why").help_text, rows=3)
    indicator_evidence = _paragraph("Evidence on the indicator", rows=2)

    def __init__(self, *args, review: ObjectiveReview, **kwargs):
        kwargs.setdefault("prefix", prefix(review.claim_id))
        kwargs.setdefault("initial", {name: getattr(review, name) for name in REVIEW_FIELDS})
        super().__init__(*args, **kwargs)
        self.review = review
        indicator = review.claim.indicator
        self.fields["indicator_evidence"].label = (
            f"Evidence on the indicator “{indicator}”" if indicator else "Evidence (the claim names no indicator)"
        )
        self.fields["indicator_evidence"].help_text = ObjectiveReview._meta.get_field("indicator_evidence").help_text


def prefix(claim_id: int) -> str:
    return f"claim-{claim_id}"


def typed_reviews(data, claim_ids) -> dict[int, dict[str, str]]:
    """The review answers as posted ({claim id: {field: text}}), for scoring what is typed but not saved."""
    found = {}
    for claim_id in claim_ids:
        keys = {name: f"{prefix(claim_id)}-{name}" for name in REVIEW_FIELDS}
        found[claim_id] = {name: str(data[key])[:PARAGRAPH_LENGTH] for name, key in keys.items() if key in data}
    return found


class ClaimChoice(forms.ModelChoiceField):
    def label_from_instance(self, claim: ContributionClaim) -> str:
        return f"{claim.objective.code} ({claim.get_role_display().lower()}, {claim.objective_type})"


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit: Organization) -> str:
        country = f", {unit.country.iso3}" if unit.country_id else ""
        return f"{unit.short_name} ({unit.name}{country})"


class ObservationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    root_cause = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the chain of whys ends: the cause that, fixed, keeps this from happening again.",
    )

    class Meta:
        model = Observation
        fields = [
            "title",
            "finding",
            "observation",
            "discussion",
            "recommendation",
            "claim",
            "objective_type",
            "indicator",
            "partner_unit",
            "dotmlpfp",
            "criticality",
            "channel",
            "markings",
        ]
        widgets = {
            "observation": forms.Textarea(attrs={"rows": 3}),
            "discussion": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"finding": "Sustain or improve", "claim": "Claimed objective", "partner_unit": "Partner unit"}
        help_texts = {
            "title": "One line that says what the item is about.",
            "objective_type": "Left empty, the claimed objective's type is used.",
            "indicator": "Left empty, the claimed objective's indicator is used.",
            "dotmlpfp": "Where the fix belongs.",
            "channel": CHANNEL_HELP,
        }
        field_classes = {"claim": ClaimChoice, "partner_unit": PartnerChoice}

    def __init__(self, *args, event: Event, assumptions: int = ASSUMPTION_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observation"].help_text = f"{METHOD} {self.fields['observation'].help_text}"
        self.fields["claim"].queryset = event.claims.select_related("objective").order_by("role", "objective__code")
        self.fields["partner_unit"].queryset = (
            Organization.objects.filter(echelon=Echelon.PARTNER_UNIT).select_related("country").order_by("short_name")
        )
        for name in ("observation", "discussion", "recommendation"):
            self.fields[name].validators.append(MaxLengthValidator(PARAGRAPH_LENGTH))
        for n in range(1, MAX_WHYS + 1):
            self.fields[f"why_{n}"] = forms.CharField(label=f"Why? ({n})", required=False, max_length=500)
        self.assumption_rows = min(max(assumptions, ASSUMPTION_ROWS), MAX_ASSUMPTIONS)
        for n in range(1, self.assumption_rows + 1):
            self.fields[f"assumption_{n}"] = forms.CharField(label=f"Assumption {n}", required=False, max_length=300)
            self.fields[f"held_{n}"] = forms.ChoiceField(label="Did it hold?", choices=HELD, required=False)
            self.fields[f"evidence_{n}"] = forms.CharField(label="Evidence", required=False, max_length=500)

    @staticmethod
    def initial_from(observation: Observation) -> dict:
        initial = {name: getattr(observation, name) for name in ObservationForm.Meta.fields}
        initial.update(claim=observation.claim_id, partner_unit=observation.partner_unit_id)
        analysis = observation.analysis or {}
        for n, why in enumerate(analysis.get("five_whys", []), 1):
            initial[f"why_{n}"] = why
        initial["root_cause"] = analysis.get("root_cause", "")
        for n, row in enumerate(analysis.get("assumptions", []), 1):
            initial[f"assumption_{n}"] = row.get("assumption", "")
            initial[f"held_{n}"] = "yes" if row.get("held") else "no"
            initial[f"evidence_{n}"] = row.get("evidence", "")
        return {**initial, "version": observation.version}

    @property
    def tag_fields(self) -> list:
        return [self[name] for name in ("claim", "objective_type", "indicator", "partner_unit", "dotmlpfp")]

    @property
    def why_fields(self) -> list:
        return [self[f"why_{n}"] for n in range(1, MAX_WHYS + 1)]

    @property
    def assumption_fields(self) -> list[tuple]:
        return [
            (n, self[f"assumption_{n}"], self[f"held_{n}"], self[f"evidence_{n}"])
            for n in range(1, self.assumption_rows + 1)
        ]

    def clean(self) -> dict:
        data = super().clean()
        for n in range(1, self.assumption_rows + 1):
            assumption = (data.get(f"assumption_{n}") or "").strip()
            held, evidence = data.get(f"held_{n}"), (data.get(f"evidence_{n}") or "").strip()
            if assumption and not held:
                self.add_error(f"held_{n}", "Say whether the assumption held.")
            elif not assumption and (held or evidence):
                self.add_error(f"assumption_{n}", "Write the assumption, or clear the row.")
        return data

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        assumptions = [
            {
                "assumption": data[f"assumption_{n}"].strip(),
                "held": data[f"held_{n}"] == "yes",
                "evidence": data[f"evidence_{n}"].strip(),
            }
            for n in range(1, self.assumption_rows + 1)
            if data[f"assumption_{n}"].strip()
        ]
        fields["analysis"] = {
            "five_whys": [data[f"why_{n}"] for n in range(1, MAX_WHYS + 1)],
            "root_cause": data["root_cause"],
            "assumptions": assumptions,
        }
        return fields


class StageForm(forms.Form):
    """Moves an observation one step through the lessons lifecycle, with what the next stage asks for."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stage = forms.ChoiceField(label="Move it to")
    corrective_action = _paragraph("Corrective action", "What will be done, so that it does not happen again.", 3)
    action_owner = forms.ModelChoiceField(
        queryset=Organization.objects.none(), required=False, help_text="Who answers for the corrective action."
    )
    action_due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    resolution = _paragraph("Resolution", Observation._meta.get_field("resolution").help_text, 3)
    verification = _paragraph("Verification", Observation._meta.get_field("verification").help_text, 3)

    def __init__(self, *args, observation: Observation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(observation, name) for name in STAGE_FIELDS},
                "action_owner": observation.action_owner_id,
                "version": observation.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (stage, Observation.Stage(stage).label) for stage in Observation.STAGES[observation.stage]
        ]
        self.fields["action_owner"].queryset = Organization.objects.exclude(echelon=Echelon.PARTNER_UNIT).order_by(
            "short_name"
        )

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in STAGE_FIELDS}


class ActionForm(forms.Form):
    text = forms.CharField(label="Follow-up action", max_length=300)
    owner = forms.ModelChoiceField(queryset=Organization.objects.none(), help_text="Who answers for it.")
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.exclude(echelon=Echelon.PARTNER_UNIT).order_by(
            "short_name"
        )


class DecisionForm(forms.Form):
    """What a reviewer says when returning or approving a report; the comment stays with the report."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = _paragraph(
        "Comment",
        "Required to return the report: say what the author should change. Optional on approval.",
        rows=3,
    )


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    closure = forms.CharField(
        label="How it was dealt with",
        max_length=PARAGRAPH_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="AAR document (.docx)",
        help_text="A Word document. Its headings are matched to the report's sections; text that fits none is kept "
        "in the summary, so nothing is lost.",
    )  # size and content are judged by importing.import_docx, whose errors land on this field
