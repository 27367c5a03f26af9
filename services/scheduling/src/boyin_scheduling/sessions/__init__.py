"""Sessions: an edition's agenda (ceremonies, roadshows, recruitment sessions, field
visits, live experience), with capacity, sign-ups and a waiting list; publishing the
agenda."""
