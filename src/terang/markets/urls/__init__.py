"""The market-price pages, one URL module per mount point (the root `terang.urls` mounts them):
`public` at /harga-pasar/, `staff` at /staf/harga-pasar/."""
