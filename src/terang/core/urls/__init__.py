"""The platform's own pages, one URL module per mount point (the root `terang.urls` mounts
them): `pages` (the home page) at the site root, `accounts` at /akun/, `files` at /berkas/."""
