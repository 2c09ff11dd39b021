"""The clinic's details: the one place they are configured, from the environment with defaults."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Dict, Text


@dataclass(frozen=True)
class ClinicDetails:
    clinic_name: Text
    clinic_phone: Text
    booking_url: Text
    emergency_number: Text
    crisis_line: Text

    @classmethod
    def from_env(cls) -> ClinicDetails:
        env = os.environ.get
        return cls(
            clinic_name=env("CLINIC_NAME", "El Segundo Massage & Physiotherapy"),
            clinic_phone=env("CLINIC_PHONE", "(310) 555-0142"),
            booking_url=env("CLINIC_BOOKING_URL", "https://clinic.example/book"),
            emergency_number=env("EMERGENCY_NUMBER", "911"),
            crisis_line=env("CRISIS_LINE", "988"),
        )

    def template_values(self) -> Dict[Text, Text]:
        """Values for the {placeholders} in domain.yml responses."""
        return asdict(self)
