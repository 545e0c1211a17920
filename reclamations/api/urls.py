from django.urls import URLPattern, URLResolver, include, path, re_path

from reclamations.api.api import api
from reclamations.api.errors import json_method_not_allowed, not_found


def _with_json_405(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_method_not_allowed(pattern.callback)
    return patterns


ninja_patterns, app_name_, namespace = api.urls

urlpatterns = [
    # Ninja's own root view answers an HTML 404 (it only exists to be reversed).
    path("", not_found),
    path("", include((_with_json_405(ninja_patterns), app_name_), namespace=namespace)),
    re_path(r"^", not_found),
]
