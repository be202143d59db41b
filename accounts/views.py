"""Sign-up, and log-in and password reset wrapped in throttling (accounts/throttle.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.forms import SignUpForm

ADDRESS_TAKEN = """Someone, perhaps you, just created a Lambda Study account with this address.

It already belongs to an account, so the new account was made without it. If it was you, log in
with your existing account, or reset its password from the log-in page.
"""


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        refusal = throttle.take(
            request,
            {"signup-ip": throttle.client_ip(request)},
            "Too many sign-ups from your network.",
        )
        if refusal:
            return throttle.refused(request, refusal)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if form.address_taken and not settings.EMAIL_OFF:
            # The page is the same either way; only the address's owner learns of it.
            send_mail(
                "Lambda Study: your address was used to sign up",
                ADDRESS_TAKEN,
                None,
                [form.cleaned_data["email"]],
                fail_silently=True,
            )
        login(request, user, backend="accounts.backends.StudyBackend")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


def _post_keys(request: HttpRequest, who: str, field: str, length: int) -> dict[str, str]:
    """A throttled form's two counters: the account or address it names, and the client."""
    action = who.split("-", 1)[0]
    return {
        who: request.POST.get(field, "").strip().lower()[:length],
        f"{action}-ip": throttle.client_ip(request),
    }


class LoginView(auth_views.LoginView):
    """Django's log-in, refused for a while after too many failures for an account or address."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        keys = _post_keys(request, "login-account", "username", 150)
        refusal = throttle.blocked(request, keys, "Too many failed log-ins.")
        if refusal:
            return throttle.refused(request, refusal)
        response = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:
            throttle.hit(request, keys)
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
        keys = _post_keys(request, "reset-address", "email", 254)
        refusal = throttle.take(request, keys, "Too many password-reset requests.")
        if refusal:
            return throttle.refused(request, refusal)
        return super().post(request, *args, **kwargs)
