"""``POST /api/clients`` for the Messages mobile app: a PROTUS access token instead of a session."""

import uuid

from protus.django.permissions import HasProtusScope
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import billing
from .billing import PHONE
from .models import Client


class ClientSerializer(serializers.ModelSerializer):
    # Optional: the app sends its own id to make a retried request pay once.
    id = serializers.UUIDField(required=False)
    phone = serializers.RegexField(PHONE, max_length=20)

    class Meta:
        model = Client
        fields = ["id", "name", "phone", "charge", "amount", "currency", "created_at"]
        read_only_fields = ["charge", "amount", "currency", "created_at"]


class ClientsApi(APIView):
    """Adds a client, charged like the page's form. The caller is the person of the bearer token
    (introspected at PROTUS) or the signed-in user; they must allow ``charge``."""

    permission_classes = [HasProtusScope("charge")]

    def post(self, request):
        given = ClientSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = {"id": uuid.uuid4(), **given.validated_data}
        try:
            # A refusal of PROTUS (insufficient_funds, grant_revoked, …) goes back to the app as
            # PROTUS said it: settings.REST_FRAMEWORK names the package's exception handler.
            client = billing.add_client(request.protus.account_id, **fields)
        except billing.TakenId:
            return Response({"detail": "This id belongs to another client."}, status=status.HTTP_409_CONFLICT)
        return Response(ClientSerializer(client).data, status=status.HTTP_201_CREATED)
