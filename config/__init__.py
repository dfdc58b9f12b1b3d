"""Settings from the environment and the user-visible Chinese labels."""
