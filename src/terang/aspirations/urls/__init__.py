"""The aspirations app's URL modules, one per mount point (the root `terang.urls` mounts them):
`public` at the site root, `staff` at /staf/."""
