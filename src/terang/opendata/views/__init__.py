"""HTML pages of the catalog: `public` (no login) and `staff` (producers and the walidata)."""
