"""Sign-up, and log-in and password reset wrapped in throttling (accounts/throttle.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.forms import SignUpForm

ADDRESS_TAKEN = gettext_lazy(
    """Someone, perhaps you, just created a Lambda Study account with this address.

It already belongs to an account, so the new account was made without it. If it was you, log in
with your existing account, or reset its password from the log-in page.
"""
)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        refusal = throttle.take(
            request,
            {"signup-ip": throttle.client_ip(request)},
            _("Too many sign-ups from your network."),
        )
        if refusal:
            return throttle.refused(request, refusal)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if form.address_taken and not settings.EMAIL_OFF:
            # The page is the same either way; only the address's owner learns of it.
            send_mail(
                _("Lambda Study: your address was used to sign up"),
                str(ADDRESS_TAKEN),
                None,
                [form.cleaned_data["email"]],
                fail_silently=True,
            )
        login(request, user, backend="accounts.backends.StudyBackend")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's log-in, slowed after failures for an (account, address) pair or an address."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        keys = throttle.login_keys(request, request.POST.get("username", ""))
        refusal = throttle.login_wait(keys)
        if refusal:
            return throttle.refused(request, refusal)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.login_succeeded(keys)
        else:
            throttle.login_failed(keys)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Reset by e-mail, throttled per address and per client; unavailable when EMAIL_OFF is set."""

    @staticmethod
    def _email_off(request: HttpRequest) -> HttpResponse | None:
        if settings.EMAIL_OFF:
            return render(request, "registration/password_reset_off.html", status=503)
        return None

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        off = self._email_off(request)
        return off if off is not None else super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        off = self._email_off(request)
        if off is not None:
            return off
        keys = {
            "reset-address": request.POST.get("email", "").strip().lower()[:254],
            "reset-ip": throttle.client_ip(request),
        }
        refusal = throttle.take(request, keys, _("Too many password-reset requests."))
        if refusal:
            return throttle.refused(request, refusal)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password step; once it succeeds, the account's log-in delays start again."""

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        throttle.password_was_reset(form.user.get_username())
        return response
