"""Use cases over the store: plain Python, no Qt. Each returns a Changes set that views inspect."""
