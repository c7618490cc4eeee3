"""Industry code lists as data (``code,zh,en``), read by :mod:`smesdk.industries`."""
