from django.http import HttpRequest

from .selectors import get_city


def city(request: HttpRequest) -> dict[str, object]:
    return {"city": get_city()}
