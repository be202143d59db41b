from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from accounts import names

NAME_TAKEN = _("This user name is not available: choose another (names are compared without case).")


class SignUpForm(UserCreationForm):
    """Sign-up; the e-mail address is optional and only used to reset a forgotten password.

    Whether an address already has an account is never said on the page (that would let anyone
    test addresses): `accounts.views.signup` tells the address's owner by e-mail instead.

    Whether a user name is taken is said, on purpose: sign-up is instant (the account exists and
    is signed in when the page answers) and the e-mail is optional, so no message can go
    elsewhere, and the person choosing a name must learn it is taken. A name is worth little to
    an attacker here: it is no secret in a team, signing in is slowed per (account, address)
    so knowing a name cannot lock its owner out, and each try costs one of the address's ten
    sign-ups an hour. Names are compared as `accounts.names` says, as sign-in and the throttle
    compare them (trimmed, without case).
    """

    email = forms.EmailField(
        required=False,
        label=_("E-mail (optional)"),
        help_text=_("Only for password resets: without it, a forgotten password cannot be reset."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django's own words, translated here too: its Spanish misspells "caracteres".
        self.fields["username"].help_text = _(
            "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."
        )

    def clean_username(self) -> str | None:
        """The name as typed, trimmed (the field strips it); taken in any case is taken."""
        name = self.cleaned_data.get("username") or ""
        if name and User.objects.filter(names.same_name(name)).exists():
            self.add_error("username", NAME_TAKEN)
            return None
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        self.address_taken = bool(user.email) and (
            User.objects.filter(email__iexact=user.email).exists()
        )
        if self.address_taken:
            # One address, one account: the new account starts without one and can add it later.
            user.email = ""
        if commit:
            user.save()
        return user
