"""Requests no form of ours can send are refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulMiddleware:
    """A 400 for a NUL character in the path, a parameter or a form field.

    No field of the site takes one, and PostgreSQL refuses it in any text column: without this, a
    view that looks a typed value up (a topic, a bank path, a slug) would answer a 500 instead of
    a clear refusal. Django's form fields refuse it too; this covers the values views read directly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST":
            fields.append(request.POST)
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for data in fields
            for key, values in data.lists()
        ):
            return HttpResponseBadRequest(
                "This request holds a NUL character, which no field here accepts.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
