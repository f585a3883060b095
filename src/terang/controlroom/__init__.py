"""Control room: sensor stations, reading ingestion (MQTT and HTTP), air quality and the wall."""
