"""HTML pages of the markets app: `public` (no login) and `staff` (/staf/harga-pasar/)."""
