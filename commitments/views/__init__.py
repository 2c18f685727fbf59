"""Pages, one module per area: thin views that scope by the user, then call selectors
(reads) and services (writes)."""
