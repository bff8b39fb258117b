"""Headless Chromium opens every staff page as each role, in Arabic and in English.

Fails on any console error, on any request to a host other than the app (the site has no
internet), and on an Arabic page showing English words or Latin digits outside plates, codes
and names (demo data: alerts, event fields, zone names). Screenshots go to $SCREENSHOTS_DIR
(CI sets it to its output folder; var/screenshots/ otherwise) for a human to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from alerts.services import raise_alert
from alerts.wording import each_language
from anpr import plates
from anpr.models import Gate, Vehicle
from cameras.models import Camera, CameraEvent, EventPicture
from cameras.simulator import TINY_JPEG
from damanat.roles import ADMINISTRATOR, FACILITY_MANAGER, SECURITY_STAFF
from parking.models import OccupancySnapshot, Zone
from staff.access import may_open
from staff.tests.factories import visit
from staff.tests.page_text import english_words, latin_digits

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or Path(settings.BASE_DIR) / "var" / "screenshots")
PASSWORD = "browser-test-password-1"
ROLES = {"guard": SECURITY_STAFF, "manager": FACILITY_MANAGER, "administrator": ADMINISTRATOR}
PAGES = {
    "dashboard": "pages:dashboard",
    "alerts": "pages:alerts",
    "inside": "pages:inside",
    "log": "pages:log",
    "vehicles": "pages:vehicles",
    "reports": "pages:reports",
    "cameras": "pages:cameras",
    "evidence": "pages:evidence",
}
ADMIN_PAGES = {
    "admin": "/admin/",
    "admin-vehicles": "/admin/anpr/vehicle/",
    "admin-alerts": "/admin/alerts/alert/",
    "admin-zones": "/admin/parking/zone/",
    "admin-cameras": "/admin/cameras/camera/",
}


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def demo_site(transactional_db, settings):
    # live_server is WSGI: no WebSocket stream, so the console polls (as it does when the stream is down).
    settings.ALERT_STREAM_PATH = ""
    call_command("load_demo", password="demo-admin-password-1", stdout=open("/dev/null", "w"))
    busy_day()
    for username, role in ROLES.items():  # the demo may have made some of them already
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])


def busy_day() -> None:
    """Passages, visits, snapshots and alerts with a picture, so every page shows data."""
    now = timezone.now()
    khalid, _ = Vehicle.objects.update_or_create(
        plate="ABJ1234", defaults={"owner_name": "Khalid", "category": "employee"}
    )
    for n in range(12):
        visit(
            f"XDR{1000 + n}",
            now - timedelta(hours=30 - n * 2),
            35 + n * 9,
            "visitor" if n % 3 else "employee",
        )
    visit("ABJ1234", now - timedelta(hours=2), None, "employee", khalid)
    camera = Camera.objects.get(code="CAM-01")
    event = CameraEvent.objects.create(
        camera=camera,
        event_type="fielddetection",
        region_id="restricted-vip",
        trigger_time=now,
        detection_target="human",
    )
    EventPicture.objects.create(
        event=event, name="detectionPicture.jpg", image=SimpleUploadedFile("p.jpg", TINY_JPEG)
    )
    zone = Zone.objects.get(code="restricted-vip")
    raise_alert(
        Alert.Kind.INTRUSION,
        severity="critical",
        camera=camera,
        zone=zone,
        source_event=event,
        group_key="browser-1",
        params={
            "topic": "intrusion_in_zone",
            "zone": each_language(lambda: str(zone)),
            "camera": "CAM-01",
            "event": "fielddetection",
            "target": "human",
        },
    )
    raise_alert(
        Alert.Kind.UNKNOWN_VEHICLE,
        severity="medium",
        plate="XDR1003",
        group_key="browser-2",
        params={
            "plate": {"en": "XDR 1003", "ar": plates.arabic_display("XDR1003") or "XDR 1003"},
            "raw": "XDR1003",
            "gate": each_language(lambda: str(Gate.ENTRY.label)),
        },
    )
    for zone in Zone.objects.filter(capacity__isnull=False):
        for step in range(0, 36 * 12, 6):
            OccupancySnapshot.objects.create(
                zone=zone,
                taken_at=now - timedelta(minutes=5 * step),
                count=(step * 7 + zone.pk) % (zone.capacity + 1),
                capacity=zone.capacity,
            )
    Zone.objects.filter(code="parking-row-A").update(current_count=9)
    Zone.objects.filter(code="parking-row-B").update(current_count=8)


def problems_since_last_check(driver, app_host: str) -> list[str]:
    found = [
        f"console: {entry['message']}"
        for entry in driver.get_log("browser")
        if entry["level"] in ("SEVERE", "ERROR")
    ]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != app_host:
            found.append(f"request to another host: {url}")
    return found


def sign_in(driver, base: str, username: str, language: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.delete_all_cookies()
    driver.get(f"{base}/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]:not([form])").click()
    wait_for(lambda: urlparse(driver.current_url).path == "/")
    Select(driver.find_element(By.NAME, "language")).select_by_value(language)  # the switcher
    wait_for(lambda: driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language)


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - the page may be between loads
            pass
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def page_urls(user) -> dict[str, str]:
    urls = {name: reverse(view) for name, view in PAGES.items() if may_open(user, name)}
    if "vehicles" in urls:
        urls["vehicles"] += "?plate=ABJ1234"
    if "alerts" in urls:
        alert = Alert.objects.filter(source_event__pictures__isnull=False).first()
        urls["alert-detail"] = reverse("pages:alerts-detail", args=[alert.pk])
    return urls


def admin_urls(user) -> dict[str, str]:
    models = {
        "admin-vehicles": "anpr.view_vehicle",
        "admin-alerts": "alerts.view_alert",
        "admin-zones": "parking.view_zone",
        "admin-cameras": "cameras.view_camera",
    }
    return {name: url for name, url in ADMIN_PAGES.items() if name == "admin" or user.has_perm(models[name])}


def look_at(browser, base: str, host: str, name: str, path: str, shot: str) -> list[str]:
    """Open a page, take its whole height as a screenshot, and say what went wrong on it."""
    browser.get(base + path)
    time.sleep(1.2 if name == "alerts" else 0.3)  # the console's feed polls every second
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(height, 1000), 4000))
    browser.save_screenshot(str(SCREENSHOTS / f"{shot}.png"))
    browser.set_window_size(1400, 1000)
    return [f"{path}: {p}" for p in problems_since_last_check(browser, host)]


def arabic_problems(browser, path: str) -> list[str]:
    html = browser.page_source
    return [f"{path}: Latin digits in {chunk!r}" for chunk in latin_digits(html)] + [
        f"{path}: English in {chunk!r}" for chunk in english_words(html)
    ]


def list_overflows(browser, path: str) -> list[str]:
    widths = browser.execute_script(
        "const e = document.querySelector('#changelist .results'); return e && [e.scrollWidth, e.clientWidth]"
    )
    return (
        [f"{path}: the list needs {widths[0]} px, has {widths[1]}"]
        if widths and widths[0] > widths[1]
        else []
    )


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_opens_cleanly(browser, live_server, demo_site, role, language):
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base, host = live_server.url, urlparse(live_server.url).netloc
    user = User.objects.get(username=role)
    sign_in(browser, base, role, language)
    urls = page_urls(user)
    problems = problems_since_last_check(browser, host)
    for name, path in urls.items():
        problems += look_at(browser, base, host, name, path, f"{role}-{language}-{name}")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        if language == "ar":
            problems += arabic_problems(browser, path)
    for name, path in admin_urls(user).items():
        problems += look_at(browser, base, host, name, path, f"{role}-{language}-{name}")
        problems += list_overflows(browser, path)
    assert len(urls) >= 2
    assert not problems, "\n".join(problems)


def test_a_new_alert_appears_on_the_console_within_two_seconds(browser, live_server, demo_site):
    from selenium.webdriver.common.by import By

    sign_in(browser, live_server.url, "guard", "en")
    browser.get(live_server.url + reverse("pages:alerts"))
    time.sleep(0.3)
    alert = raise_alert(
        Alert.Kind.VIOLATION, title="Vehicle in no-parking zone", severity="high", group_key="browser-live"
    ).alert
    started = time.monotonic()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, f'tr[data-id="{alert.pk}"]'), timeout=2.5)
    assert time.monotonic() - started < 2.0
    assert (
        "Vehicle in no-parking zone"
        in browser.find_element(By.CSS_SELECTOR, f'tr[data-id="{alert.pk}"]').text
    )
