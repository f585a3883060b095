"""Staple-food prices per market and commodity, imports, rise alerts and public trends."""
