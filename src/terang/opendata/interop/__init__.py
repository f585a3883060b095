"""The foreign standards Satu Data speaks, each a thin adapter over the app's services and
selectors: the CKAN Action API (`ckan/`), DCAT linked metadata as ckanext-dcat serves it
(`dcat`, `dcat_views`, `dcat_urls`) and Frictionless Data Packages (`datapackage`,
`datapackage_views`, `datapackage_urls`). The root `terang.urls` shows where each is mounted."""
