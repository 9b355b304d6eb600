"""Tables that only grow: audit and access events, status history, joining history.

Rows of an :class:`AppendOnlyModel` can be inserted but never updated or deleted
through the ORM, one row or a queryset at a time. (PostgreSQL triggers add the
same guard in the database for the audit and access logs.)
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models


class AppendOnlyError(TypeError):
    """A row of an append-only table was about to be changed or removed."""


def _refuse(model: type[models.Model], verb: str) -> NoReturn:
    label = getattr(model, "append_only_label", model._meta.model_name)
    raise AppendOnlyError(f"{label} cannot be {verb}")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        _refuse(self.model, "deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "updated")


class AppendOnlyModel(models.Model):
    append_only_label: ClassVar[str] = "these records"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(type(self), "updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(type(self), "deleted")
