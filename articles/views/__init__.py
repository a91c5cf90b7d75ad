"""Public views, one module per part of the site."""
