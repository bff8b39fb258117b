from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from evidence.models import EvidenceExport, Subject


class ExportRequestSerializer(serializers.Serializer):
    subject_type = serializers.ChoiceField(choices=Subject.choices)
    subject_id = serializers.IntegerField(min_value=1)


class EvidenceExportSerializer(serializers.ModelSerializer):
    exported_by = serializers.CharField(source="exported_by.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceExport
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "sha256",
            "size",
            "key_id",
            "exported_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export: EvidenceExport) -> str:
        path = reverse("evidence:export-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
