"""The URLs of the Django tests: the app's views and a few guarded views of a partner."""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView

import protus.django
from protus.django.decorators import protus_scope_required
from protus.django.permissions import HasProtusScope


@protus_scope_required("charge")
def clients(request):
    """A page only for people who allow charges; answers who it acts for."""
    return JsonResponse({"account": request.protus.account_id, "via": request.protus.via})


def reconsent(request):
    """A page that offers the link asking for ``check`` before anyone is refused."""
    return JsonResponse({"url": protus.django.reconsent_url(request, "check")})


@csrf_exempt
@protus_scope_required("charge")
def charge(request):
    """Charges the person for the service named in the form, as a partner's view would."""
    # Looked up on each call, so the tests' stand-in for the client is used while it is in place.
    made = protus.django.get_client().charges.create(account=request.protus.account_id, service=request.POST["service"])
    return JsonResponse(made, status=201)


class ClientsApi(APIView):
    """The same page in Django REST framework."""

    permission_classes = [HasProtusScope("hold", "charge")]

    def get(self, request):
        return Response({"account": request.protus.account_id, "via": request.protus.via})

    def post(self, request):
        made = protus.django.get_client().charges.create(account=request.protus.account_id, amount=100)
        return Response(made, status=201)


urlpatterns = [
    path("protus/", include("protus.django.urls")),
    path("clients/", clients),
    path("reconsent/", reconsent),
    path("charge/", charge),
    path("api/clients/", ClientsApi.as_view()),
]
