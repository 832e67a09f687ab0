"""Showing a service's DomainError in a form: each message next to its field, the rest at the top; and the status
a page with a form answers with."""

from django import forms

from goldthread.core.errors import Conflict, DomainError


def show_in_form(form: forms.Form, exc: DomainError) -> None:
    if isinstance(exc, Conflict):
        # A stale version belongs to the hidden field that carried it, where nobody would see it: tell it on top.
        form.add_error(None, exc.detail)
        return
    placed = False
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


def form_status(form: forms.Form) -> int:
    """400 when a posted form is shown again with its errors, so clients and tests can tell; 200 otherwise."""
    return 400 if form.is_bound and form.errors else 200
