from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "luvat.uploads"
    label = "uploads"
    verbose_name = "Uploads"
