"""`terang generate-keys`: the spelling the deployment guide uses."""

from .generate_keys import Command

__all__ = ["Command"]
