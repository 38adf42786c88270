"""The pages of Messages: sign in or register, the balance with clients and campaigns, the
two paid actions, a direct user's top-up, and the webhook log."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from protus import GrantRevoked, InsufficientFunds, ProtusError, SpendingLimitExceeded
from protus.django import ensure_account, get_client, reconsent_url
from protus.django.decorators import protus_scope_required

from . import billing
from .forms import CampaignForm, ClientForm
from .models import Campaign, Client, WebhookLog
from .templatetags.money import money

TOP_UP_AMOUNTS = [10_000, 50_000, 100_000]


class SignInView(LoginView):
    """Username and password of a direct user, beside the "Sign in with PROTUS" button."""

    template_name = "campaigns/signin.html"

    def form_valid(self, form):
        answer = super().form_valid(form)
        open_account(self.request.user)
        return answer


def register(request):
    """A direct user registers here; PROTUS keeps a managed account for them."""
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        open_account(user)
        return redirect("home")
    return render(request, "campaigns/register.html", {"form": form})


def open_account(user) -> None:
    """Opens a direct user's managed account now; if PROTUS is unreachable, the home page does."""
    try:
        ensure_account(user)
    except ProtusError:
        pass


@require_POST
def sign_out(request):
    logout(request)
    return redirect("signin")


@login_required
def home(request, client_form=None, campaign_form=None, status=200):
    """The balance (scope check), the forms of the two paid actions, clients and campaigns."""
    account = ensure_account(request.user)
    balance = problem = None
    if "check" in account.scope_list:
        try:
            balance = get_client().accounts.balance(account.account_id)
        except ProtusError as error:
            problem = error.code
    context = {
        "account": account,
        "balance": balance,
        "balance_problem": problem,
        "allow_check_url": reconsent_url(request, "check"),
        "top_up_amounts": TOP_UP_AMOUNTS,
        "prices": settings.MESSAGES,
        "client_form": client_form or ClientForm(),
        "campaign_form": campaign_form or CampaignForm(),
        "clients": Client.objects.filter(account=account.account_id),
        "campaigns": Campaign.objects.filter(account=account.account_id),
    }
    return render(request, "campaigns/home.html", context, status=status)


def form_target(view):
    """A form's POST target; a GET (back from PROTUS after allowing a scope) shows the home page."""
    @functools.wraps(view)
    def post_or_home(request):
        return view(request) if request.method == "POST" else redirect("home")
    return post_or_home


@form_target
@protus_scope_required("charge")
def add_client(request):
    """"Add a client": the "Client" service is charged, then the client is saved."""
    form = ClientForm(request.POST)
    if not form.is_valid():
        return home(request, client_form=form, status=400)
    try:
        client = billing.add_client(request.protus.account_id, **form.cleaned_data)
    except billing.TakenId:
        return HttpResponseBadRequest("This form was used by someone else: reload the page.")
    except ProtusError as error:
        return refused(request, error, "a new client")
    paid = money(client.amount, client.currency)
    messages.success(request, f"{client.name} was added and {paid} was charged.")
    return redirect("home")


@form_target
@protus_scope_required("hold", "charge")
def launch_campaign(request):
    """"Launch a campaign": hold for every recipient, send, capture what was sent."""
    form = CampaignForm(request.POST)
    if not form.is_valid():
        return home(request, campaign_form=form, status=400)
    try:
        campaign = billing.launch_campaign(request.protus.account_id, **form.cleaned_data)
    except billing.TakenId:
        return HttpResponseBadRequest("This form was used by someone else: reload the page.")
    except ProtusError as error:
        return refused(request, error, "a campaign")
    paid = money(campaign.captured, campaign.currency)
    sent = f"sent to {campaign.sent} of {campaign.recipients}"
    messages.success(request, f"{campaign.name}: {sent}, {paid} charged.")
    return redirect("home")


def refused(request, error: ProtusError, what: str):
    """The page of a refused payment (nothing was charged or saved); other errors go on up."""
    if not isinstance(error, (InsufficientFunds, SpendingLimitExceeded, GrantRevoked)):
        raise error
    account = ensure_account(request.user)
    context = {"error": error, "what": what, "account": account, "top_up_amounts": TOP_UP_AMOUNTS,
               "sign_in_again_url": reconsent_url(request, "charge")}
    return render(request, "campaigns/refused.html", context, status=error.status)


@require_POST
@login_required
def top_up(request):
    """A direct user adds money to their managed account on PROTUS's checkout page."""
    account = ensure_account(request.user)
    amount = {str(a): a for a in TOP_UP_AMOUNTS}.get(request.POST.get("amount", ""))
    if not account.managed or amount is None:
        return redirect("home")
    topup = get_client().accounts.create_topup(
        account.account_id, amount=amount, return_url=request.build_absolute_uri(reverse("home"))
    )
    return redirect(topup["checkout_url"])


@login_required
def webhook_log(request):
    """Every event PROTUS sent, newest first. (An operator's page: keep it behind staff access.)"""
    return render(request, "campaigns/webhooks.html", {"events": WebhookLog.objects.all()[:200]})
