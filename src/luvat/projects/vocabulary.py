"""Shared-data fields the project itself reads: the schedule drives deadlines, the site
municipality picks the authorities, and the company's own data comes from the register."""

from __future__ import annotations

# vocabulary code → Project column it mirrors
PROJECT_COLUMNS = {
    "schedule.start_date": "starts_on",
    "schedule.end_date": "ends_on",
    "site.municipality": "municipality_code",
}
COMPANY_NAME = "company.name"
COMPANY_BUSINESS_ID = "company.business_id"
COMPANY_ADDRESS = "company.address"
