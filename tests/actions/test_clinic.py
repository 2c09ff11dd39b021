"""The clinic's profile (clinic.yml): read at run time, overridden by the environment, never guessed."""
import pytest

from clinic.profile import PROFILE, ClinicDetails

MINIMAL = """
name: Test Clinic
phone: "+1 555 0100"
booking_url: https://test.example/book
emergency_number: "999"
crisis_line: "116 123"
"""


def test_the_shipped_profile_has_every_practical_answer():
    clinic = ClinicDetails.from_env(PROFILE)
    for name in ("address", "opening_hours", "services", "insurance", "parking", "cancellation_policy", "languages"):
        assert not clinic.missing(name), name


def test_a_variable_overrides_a_value_of_the_profile(tmp_path, monkeypatch):
    profile = tmp_path / "clinic.yml"
    profile.write_text(MINIMAL + "parking: Behind the building.\n")
    monkeypatch.setenv("CLINIC_PHONE", "+1 555 0199")
    monkeypatch.setenv("CLINIC_PARKING", "On the street only.")
    clinic = ClinicDetails.from_env(profile)
    assert clinic.clinic_phone == "+1 555 0199" and clinic.parking == "On the street only."
    assert clinic.clinic_name == "Test Clinic"


def test_lists_read_one_per_line_and_optional_details_are_left_out_when_empty(tmp_path):
    profile = tmp_path / "clinic.yml"
    profile.write_text(MINIMAL + "opening_hours: [Mon to Fri 9 to 5, Sat 10 to 2]\n"
                       "services: [{name: Massage, minutes: 30, price: $50}]\naddress: 1 High Street\n")
    values = ClinicDetails.from_env(profile).template_values()
    assert values["opening_hours"] == "- Mon to Fri 9 to 5\n- Sat 10 to 2"
    assert values["services"] == "- Massage, 30 minutes: $50"
    assert values["map_line"] == "" and values["access_line"] == "" and values["payment_line"] == ""


def test_a_profile_without_the_numbers_the_assistant_needs_is_refused(tmp_path, monkeypatch):
    for variable in ("CLINIC_PHONE", "EMERGENCY_NUMBER"):
        monkeypatch.delenv(variable, raising=False)
    profile = tmp_path / "clinic.yml"
    profile.write_text("name: Test Clinic\n")
    with pytest.raises(ValueError, match="clinic_phone"):
        ClinicDetails.from_env(profile)
