"""The control room's URL modules, one per mount point (the root `terang.urls` mounts them):
`air` at /udara/, `alerts`, `dead_letters` and `wall` under /ruang-kendali/."""
