from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


class SignUpForm(UserCreationForm):
    """Sign-up; the e-mail address is optional and only used to reset a forgotten password.

    Whether an address already has an account is never said on the page (that would let anyone
    test addresses): `accounts.views.signup` tells the address's owner by e-mail instead.
    """

    email = forms.EmailField(
        required=False,
        label="E-mail (optional)",
        help_text="Only for password resets: without it, a forgotten password cannot be reset.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

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
