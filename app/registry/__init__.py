"""The establishment registry: records, public codes, and the office's spreadsheets in and out."""
