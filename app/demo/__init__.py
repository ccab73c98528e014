"""The demo city: clearly labelled data made through the same services as the pages."""
