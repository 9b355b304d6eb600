"""Demo data of the catalogue: the shipped catalogue files, loaded once per version."""

from __future__ import annotations

from luvat.audit.actors import Actor
from luvat.catalogue.datafiles import DATA_DIR, read_catalogue
from luvat.catalogue.models import CatalogueLoad
from luvat.catalogue.services import catalogue_load
from luvat.web.demo import DemoResult


def load_demo_catalogue() -> DemoResult:
    """Load the catalogue unless this version of the files is already loaded."""
    checksum = read_catalogue(DATA_DIR).checksum
    if CatalogueLoad.objects.filter(checksum=checksum).exists():
        return DemoResult(created=0, existing=1)
    load = catalogue_load(actor=Actor.system("load-demo"))
    created = sum(
        counts.get("created", 0) for counts in load.summary.values() if isinstance(counts, dict)
    )
    existing = sum(counts.get("unchanged", 0) for counts in load.summary.values())
    return DemoResult(created=created, existing=existing)
