"""Pure rules: no AWS, no HTTP, no environment."""
