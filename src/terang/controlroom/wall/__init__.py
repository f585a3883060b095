"""The control-room wall: the composer that merges every registered wall source
(`terang.core.wall`), its SVG map, the event stream, the executive brief, and the wall's page
and API. Nothing here imports a domain app or this app's models: the wall reads only the
registry."""
