"""The API docs speak the product's words, and the reader's language where Swagger allows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def schema_tags(client, **params) -> set[str]:
    schema = client.get("/api/schema", {"format": "json", **params}).json()
    return {
        tag
        for operations in schema["paths"].values()
        for op in operations.values()
        for tag in op.get("tags", [])
    }


def test_operations_are_grouped_in_product_words(client, administrator):
    client.force_login(administrator)
    tags = schema_tags(client)
    assert {
        "Alerts",
        "Gates and visits",
        "Registered vehicles",
        "Floors and occupancy",
        "AI detector services",
    } <= tags
    assert "api" not in tags and not any("seed" in tag for tag in tags)


def test_in_arabic_the_tags_are_arabic(client, administrator):
    client.force_login(administrator)
    assert {"التنبيهات", "خدمات الكشف بالذكاء الاصطناعي"} <= schema_tags(client, lang="ar")


def test_the_docs_page_asks_for_the_readers_language(client, administrator):
    client.force_login(administrator)
    script = client.get("/api/docs", {"script": ""}, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "schema?lang\\u003Dar" in script  # escapejs writes "=" as \u003D
