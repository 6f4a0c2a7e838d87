"""Use cases. Each takes its repositories and ports as parameters; none reads the environment."""
