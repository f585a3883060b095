"""`terang open311-key "<client name>"`: the spelling the README and the admins use."""

from .open311_key import Command

__all__ = ["Command"]
