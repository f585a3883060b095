"""Satu Data: the open-data catalog (datasets, resources, versions, the datastore), its CKAN
Action API and DCAT metadata."""
