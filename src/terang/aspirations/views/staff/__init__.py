"""Staff pages: inbox, detail with one POST URL per action, control room, assisted intake.

Every page needs a signed-in city staff member whose session passed TOTP (`access`); reads go
through the scoped selectors (an officer never sees another agency's item, not even as a 403),
writes go through exactly one service each, and a refused action re-renders the detail page with
the service's message and HTTP status while nothing changes.

Modules by concept: `access` (the guard), `inbox` (list and bulk actions), `detail` (the item
page and its action forms), `actions` (one POST view per action), `control_room`, `intake`.
"""
