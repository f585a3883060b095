"""`terang remask-public-text`: the spelling the README and the admins use."""

from .remask_public_text import Command

__all__ = ["Command"]
