"""Public information (UU 14/2008, Perki 1/2021): requests, objections, the public register
and the DIP."""
