"""The web layer: the REST API under /api and the German UI, thin handlers over efile.services."""
