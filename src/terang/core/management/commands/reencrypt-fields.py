"""`terang reencrypt-fields`: the spelling the deployment guide uses."""

from .reencrypt_fields import Command

__all__ = ["Command"]
