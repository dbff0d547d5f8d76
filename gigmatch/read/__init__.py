"""Reading inputs: files to tables, headers to fields, cells to values."""
