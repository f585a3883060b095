"""The Satu Data catalog's pages, one URL module per mount point (the root `terang.urls` mounts
them): `public` at /data/, `staff` at /data/staf/. The foreign standards' routes live with
their adapters in `interop/` (CKAN, DCAT, Data Package)."""
