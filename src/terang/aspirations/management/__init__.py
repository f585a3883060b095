"""Management commands of the aspirations app."""
