"""Forms for country folders. They only shape input; the services check every rule."""

from django import forms

from goldthread.folders.models import Observance, Section

TEXT_LENGTH = 100_000


class SectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        max_length=TEXT_LENGTH,
        help_text="Markdown: # headings, - lists, **bold**, [links](https://…), tables.",
    )
    reason = forms.CharField(max_length=300, help_text="Why you change it; kept with the revision.")


class ObservanceForm(forms.ModelForm):
    class Meta:
        model = Observance
        fields = ["name", "starts", "ends", "note"]
        widgets = {"starts": forms.DateInput(attrs={"type": "date"}), "ends": forms.DateInput(attrs={"type": "date"})}

    def _post_clean(self) -> None:
        """Leave model validation to the service, which reports it field by field."""


class AttachmentForm(forms.Form):
    file = forms.FileField()
    section = forms.ChoiceField(choices=[("", "The whole folder"), *Section.Key.choices], required=False)
