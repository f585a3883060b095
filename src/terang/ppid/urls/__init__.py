"""The PPID pages, one URL module per mount point (the root `terang.urls` mounts them):
`public` at /ppid/, `citizen` (a requester's own requests) at /ppid/permohonan/, `staff` (the
desk and the DIP editor) at /staf/ppid/."""
