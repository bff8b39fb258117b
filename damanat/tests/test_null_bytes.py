"""A NUL anywhere in a filter, on a page or the API, is a 400 (it was a 500)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/vehicles/?plate=%00", "/log/?plate=ab%00cd", "/alerts/?q=%00", "/log/?page=%00"]
)
def test_nul_in_a_page_filter_is_a_400(client_for, guard, url):
    assert client_for(guard).get(url).status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/v1/events?plate=%00", "/api/v1/alerts?%00=1", "/api/v1/vehicles?search=x%00"]
)
def test_nul_in_an_api_filter_is_a_400(guard, url):
    api = APIClient()
    api.force_authenticate(guard)

    answer = api.get(url)

    assert answer.status_code == 400
    assert "NUL" in answer.json()["detail"]


def test_a_filter_without_nul_still_answers(client_for, guard):
    assert client_for(guard).get("/vehicles/?plate=ABC123").status_code == 200
