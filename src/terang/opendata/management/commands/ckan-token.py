"""`terang ckan-token <username> "<name>"`: the spelling the README and the admins use."""

from .ckan_token import Command

__all__ = ["Command"]
