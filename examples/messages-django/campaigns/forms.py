"""The forms of the home page. Each rendering carries a fresh id for what it creates."""

import uuid

from django import forms
from django.core.validators import RegexValidator

from .billing import PHONE, parse_recipients


class PageForm(forms.Form):
    """A form of the home page, which shows two: each names its field ids after itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)


class ClientForm(PageForm):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    name = forms.CharField(max_length=100)
    phone = forms.CharField(max_length=20, validators=[RegexValidator(PHONE, "Enter a phone number.")])


class CampaignForm(PageForm):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    name = forms.CharField(max_length=100)
    message = forms.CharField(max_length=480, widget=forms.Textarea(attrs={"rows": 2}))
    recipients = forms.CharField(
        help_text="One a line: Name, phone", widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean_recipients(self) -> list[tuple[str, str]]:
        recipients = parse_recipients(self.cleaned_data["recipients"])
        if not 1 <= len(recipients) <= 1000:
            raise forms.ValidationError("Give 1 to 1000 recipients.")
        return recipients
