"""Identifiers as agencies write them, reduced to one canonical form so that the same car,
phone, place or account recorded by two agencies compares equal. No Django here.

    registration("ab12 cde") == registration("AB12CDE") == "AB12CDE"
    phone("07700 900123") == phone("+44 7700 900123") == "+447700900123"
    postcode("nb12ab") == "NB1 2AB"

Each returns None when the text cannot be one (a phone number too short to dial, a postcode
of the wrong shape): intelligence keeps the raw text as written, and only a canonical value is
ever compared.
"""

import re
import unicodedata

import phonenumbers

from . import names

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
# The current GB format (since 2001): two letters, two digits, three letters.
_CURRENT_REGISTRATION = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$")
# A UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_HANDLE_NOISE = re.compile(r"[\s]+")


def _ascii_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return decomposed.encode("ascii", "ignore").decode("ascii").upper()


def name(text: str) -> str:
    """A person's or organisation's name: lower case, no accents or punctuation."""
    return names.normalise(text or "")


def registration(text: str) -> str | None:
    """A vehicle registration mark without spaces or punctuation, upper case. Partial marks
    ("AB12") are kept: a partial plate is still worth comparing. None when nothing is left."""
    canonical = _NOT_ALNUM.sub("", _ascii_upper(text))
    return canonical or None


def registration_display(canonical: str) -> str:
    """'AB12CDE' shown as 'AB12 CDE'; other formats as they are."""
    if _CURRENT_REGISTRATION.match(canonical or ""):
        return f"{canonical[:4]} {canonical[4:]}"
    return canonical or ""


def phone(text: str, region: str = "GB") -> str | None:
    """A phone number in E.164 ('+447700900123'). National numbers are read as UK numbers
    unless they start with + or 00. None when it cannot be a real number's length."""
    raw = (text or "").strip()
    if not raw or not any(c.isdigit() for c in raw):
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """'+447700900123' shown as a UK worker writes it: '07700 900123'."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def postcode(text: str) -> str | None:
    """A UK postcode in its standard form, 'NB1 2AB'. None when it is not a postcode's shape."""
    compact = _NOT_ALNUM.sub("", _ascii_upper(text))
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def handle(text: str) -> str | None:
    """An online identity's handle: lower case, without a leading @ or spaces."""
    cleaned = text or ""
    # Compatibility normalisation, lower case and dropping spaces can each undo another's
    # work ("Y¯" becomes "y" and a combining macron, which composes next time): repeat until
    # nothing changes, so the canonical form is a fixed point.
    for _ in range(5):
        again = _HANDLE_NOISE.sub("", unicodedata.normalize("NFKC", cleaned).lower()).lstrip("@")
        if again == cleaned:
            break
        cleaned = again
    return cleaned or None


def address(text: str) -> str:
    """An address or place name for comparison: normalised words, no punctuation."""
    return names.normalise((text or "").replace("\n", " "))
