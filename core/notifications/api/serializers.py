from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    resource = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "resource", "created_at", "read_at"]
        read_only_fields = fields

    def get_resource(self, notification) -> dict:
        return {"type": notification.resource_type, "id": notification.resource_id}
