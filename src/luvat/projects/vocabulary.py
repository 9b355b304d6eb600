"""Shared-data fields the project itself reads (codes of catalogue/data/vocabulary.yaml): the
schedule drives deadlines, the site municipality picks the authorities, and the company's own
data comes from the company register."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# vocabulary code → Project column it mirrors
PROJECT_COLUMNS = {
    "start_date": "starts_on",
    "end_date": "ends_on",
    "site_municipality": "municipality_code",
}
# (start, end) pairs of date fields: the end may not come before the start
DATE_RANGES = (("start_date", "end_date"),)
COMPANY_NAME = "company_name"
COMPANY_BUSINESS_ID = "business_id"
COMPANY_ADDRESS = "company_address"
COMPANY_HOME_MUNICIPALITY = "company_home_municipality"

# vocabulary groups (catalogue/data/vocabulary.yaml) as headings of the shared-data form
GROUP_LABELS = {
    "company": _("Company"),
    "contact": _("Contact person"),
    "site": _("Site"),
    "activity": _("Activity"),
    "schedule": _("Schedule"),
}
