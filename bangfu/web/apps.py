"""App configuration of the web interface."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bangfu.web"
    verbose_name = "网页界面"
