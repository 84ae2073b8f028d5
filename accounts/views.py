from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import ThrottledAuthenticationForm
from members.models import Member


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # A member's home is their own space; staff (who may also be members) get the back office.
    user = request.user
    if not user.has_perm("members.view_member") and Member.objects.filter(user_id=user.pk or 0).exists():
        return redirect("portal:home")
    return render(request, "accounts/home.html")
