from __future__ import annotations

import pytest

from anpr.plates import arabic_display, canonical_plate, latin_display, probable_variants


@pytest.mark.parametrize(
    "raw",
    [
        "ABJ1234",
        "abj 1234",
        "ABJ-1234",
        "1234 ABJ",
        "1234-abj",
        "أ ب ح ١٢٣٤",
        "ا ب ح 1234",
        "١٢٣٤ ا ب ح",
        "ابح١٢٣٤",
        "ا-ب-ح ۱۲۳۴",
        " A B J _ 1 2 3 4 ",
    ],
)
def test_arabic_and_latin_reads_of_one_plate_are_one_canonical_plate(raw):
    assert canonical_plate(raw) == "ABJ1234"


@pytest.mark.parametrize(
    "arabic,latin",
    [
        ("ا", "A"),
        ("ب", "B"),
        ("ح", "J"),
        ("د", "D"),
        ("ر", "R"),
        ("س", "S"),
        ("ص", "X"),
        ("ط", "T"),
        ("ع", "E"),
        ("ق", "G"),
        ("ك", "K"),
        ("ل", "L"),
        ("م", "Z"),
        ("ن", "N"),
        ("ه", "H"),
        ("و", "U"),
        ("ى", "V"),
    ],
)
def test_each_of_the_17_saudi_letters_maps_to_its_latin_letter(arabic, latin):
    assert canonical_plate(f"{arabic}{arabic}{arabic} 567") == f"{latin * 3}567"
    assert arabic_display(f"{latin * 3}567") == f"{arabic} {arabic} {arabic} ٥٦٧"


def test_keyboard_variants_of_arabic_letters_are_the_plate_letters():
    assert canonical_plate("إ ي ة ١") == canonical_plate("ا ى ه 1") == "AVH1"


@pytest.mark.parametrize("raw", ["", None, "unknown", "UNKNOWN", "-", "A1", "  ", "none", "٥"])
def test_unread_or_too_short_reads_are_not_plates(raw):
    assert canonical_plate(raw) == ""


def test_foreign_plate_keeps_its_letters_and_has_no_arabic_form():
    assert canonical_plate("wx-12-ab") == "WX12AB"
    assert arabic_display("WX12AB") == ""
    assert arabic_display("WOW1234") == ""  # O and W are not Saudi plate letters


def test_display_in_both_scripts():
    assert latin_display("ABJ1234") == "ABJ 1234"
    assert arabic_display("ABJ1234") == "ا ب ح ١٢٣٤"


def test_probable_variants_are_one_confusable_substitution_away():
    variants = probable_variants("ABJ1234")
    assert {"A8J1234", "ABJI234", "ABJ1Z34"} <= variants
    assert "ABJ1234" not in variants
    assert all(sum(a != b for a, b in zip(v, "ABJ1234")) == 1 for v in variants)


def test_probable_variants_follow_the_configured_table(settings):
    settings.ANPR_CONFUSABLE = ["4A"]
    assert probable_variants("ABJ1234") == {"4BJ1234", "ABJ123A"}
