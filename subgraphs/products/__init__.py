"""The products subgraph: the catalogue (`Product`), its stock, and stock reserved for orders."""
