"""Sensor stations and their readings: HTTP and MQTT ingest, the quarantine, the dead letters
page, and this app's source for the control-room wall (`wall_selectors`)."""
