"""The only package that imports pynamodb: table models and repositories."""
