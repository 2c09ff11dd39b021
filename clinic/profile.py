"""The clinic's profile (clinic.yml), the one place its details are configured, with environment overrides.

Read at run time by the Rasa server, which fills every response with it (addons/clinic_responses.py), so an
edit of clinic.yml is live at the next message, and by its channels for their apology (channels/guard.py).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

from clinic.paths import PROFILE, read_yaml

# variables that override a value of the profile (the first five predate the profile file)
ENVIRONMENT = {
    "clinic_name": "CLINIC_NAME", "clinic_phone": "CLINIC_PHONE", "booking_url": "CLINIC_BOOKING_URL",
    "emergency_number": "EMERGENCY_NUMBER", "crisis_line": "CRISIS_LINE", "address": "CLINIC_ADDRESS",
    "map_url": "CLINIC_MAP_URL", "insurance": "CLINIC_INSURANCE", "payment": "CLINIC_PAYMENT",
    "parking": "CLINIC_PARKING", "access": "CLINIC_ACCESS", "cancellation_policy": "CLINIC_CANCELLATION_POLICY",
}
# the profile's keys where they differ from the field names
PROFILE_KEYS = {"clinic_name": "name", "clinic_phone": "phone"}
# what a visitor is told is missing when a field is empty ("I don't have our opening hours here")
DESCRIPTIONS = {
    "address": "our address", "opening_hours": "our opening hours", "services": "our prices",
    "insurance": "what insurance covers", "parking": "parking and access details",
    "cancellation_policy": "our cancellation policy", "languages": "the languages our team speaks",
}


@dataclass(frozen=True)
class ClinicDetails:
    clinic_name: Text
    clinic_phone: Text
    booking_url: Text
    emergency_number: Text
    crisis_line: Text
    address: Text = ""
    map_url: Text = ""
    opening_hours: List[Text] = field(default_factory=list)
    services: List[Dict[Text, Any]] = field(default_factory=list)
    insurance: Text = ""
    payment: Text = ""
    parking: Text = ""
    access: Text = ""
    cancellation_policy: Text = ""
    languages: List[Text] = field(default_factory=list)

    @classmethod
    def from_env(cls, profile: Optional[Path] = None) -> ClinicDetails:
        """The profile (CLINIC_PROFILE names another file), each value overridden by its variable if set."""
        path = profile or Path(os.environ.get("CLINIC_PROFILE") or PROFILE)
        loaded = _profile(path)
        values: Dict[Text, Any] = {}
        for item in fields(cls):
            value = (loaded or {}).get(PROFILE_KEYS.get(item.name, item.name))
            override = os.environ.get(ENVIRONMENT.get(item.name, ""))
            values[item.name] = override if override is not None and item.name in ENVIRONMENT else value
        required = ("clinic_name", "clinic_phone", "booking_url", "emergency_number", "crisis_line")
        missing = [name for name in required if not values.get(name)]
        if missing:
            raise ValueError(f"{path}: set {', '.join(missing)} (the assistant cannot work without them)")
        return cls(**{name: _clean(value, name) for name, value in values.items()})

    def template_values(self) -> Dict[Text, Text]:
        """Values for the {placeholders} of the domain's responses: each field as text, lists one per line."""
        values = {name: value for name, value in asdict(self).items() if isinstance(value, str)}
        values["opening_hours"] = _lines(self.opening_hours)
        values["services"] = _lines(f"{s.get('name')}, {s.get('minutes')} minutes: {s.get('price')}" for s in self.services)
        values["languages"] = ", ".join(self.languages)
        # details that complete an answer when they are set, and are left out when not
        values["map_line"] = f" Map: {self.map_url}" if self.map_url else ""
        values["access_line"] = f"\nAccess: {self.access}" if self.access else ""
        values["payment_line"] = f"\nPayment: {self.payment}" if self.payment else ""
        return values

    def missing(self, name: Text) -> bool:
        return not getattr(self, name)


# a profile file, read again only when it changes: every reply needs it, and parsing it each time cost
# about a third of a message's handling
_READ: Dict[Path, Tuple[Tuple[int, int], Any]] = {}


def _profile(path: Path) -> Any:
    try:
        stat = path.stat()
    except OSError:
        return {}
    signature = (stat.st_mtime_ns, stat.st_size)
    if _READ.get(path, (None,))[0] != signature:
        _READ[path] = (signature, read_yaml(path))
    return _READ[path][1]  # shared: ClinicDetails copies what it keeps (_clean)


def _clean(value: Any, name: Text) -> Any:
    list_fields = {"opening_hours", "services", "languages"}
    if name in list_fields:
        return [dict(item) if isinstance(item, dict) else item for item in (value or []) if item]
    return "" if value is None else str(value).strip()


def _lines(items: Any) -> Text:
    return "\n".join(f"- {item}" for item in items)
