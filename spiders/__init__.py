"""Site spiders (one module per site), their shared base and helpers, and the generic `page` spider."""
