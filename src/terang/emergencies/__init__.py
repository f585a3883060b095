"""112 emergency calls: intake by call-takers, dispatch to responding units, minute targets."""
