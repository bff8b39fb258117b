from __future__ import annotations

from django.contrib.auth.models import User

from integrations.models import Exporter

SECRET = "stored-hmac-key"


def test_exporter_admin_never_shows_the_secret_and_keeps_it(client, db):
    admin = User.objects.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    exporter = Exporter.objects.create(
        name="Lake", url="http://10.0.0.5/hook", auth="hmac", secret=SECRET, event_kinds=["alert"]
    )

    page = client.get(f"/admin/integrations/exporter/{exporter.pk}/change/")
    saved = client.post(
        f"/admin/integrations/exporter/{exporter.pk}/change/",
        {
            "name": "Lake",
            "transport": "webhook",
            "event_kinds": ["alert", "passage"],
            "url": "http://10.0.0.5/hook",
            "topic": "damanat/export",
            "auth": "hmac",
            "secret": "",
            "username": "",
            "password": "",
            "max_attempts": 5,
            "backoff_seconds": 2,
            "max_backoff_seconds": 300,
            "timeout_seconds": 5,
            "enabled": "on",
        },
    )

    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert saved.status_code == 302
    exporter.refresh_from_db()
    assert exporter.secret == SECRET and exporter.event_kinds == ["alert", "passage"]
    for path in ("exporter", "exportrecord", "aimodelconfig", "sensorsetting"):
        assert client.get(f"/admin/integrations/{path}/").status_code == 200
