"""Channel connectors: one per channel, one small interface (see base.Connector)."""
