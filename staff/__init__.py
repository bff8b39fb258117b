"""Server-rendered staff pages: dashboard, alerts console, entry/exit log, vehicle lookup,
reports and cameras. They read through the other apps' QuerySets and figure functions."""
