"""Showing a service's DomainError in a form: each message next to its field, the rest at the top."""

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
