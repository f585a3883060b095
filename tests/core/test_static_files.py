"""The site's own stylesheets and scripts are found by the static files finders, so runserver,
the live test server and collectstatic all serve them."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.parametrize(
    "path", ["terang/terang.css", "controlroom/wall.js", "controlroom/wall.css"]
)
def test_static_file_is_found(path):
    assert finders.find(path) is not None
