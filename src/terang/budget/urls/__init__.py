"""The APBD pages, one URL module per mount point (the root `terang.urls` mounts them):
`public` at /apbd/, `staff` at /staf/apbd/."""
