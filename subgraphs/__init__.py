"""The domain subgraphs, one package each, and `kit`, what they share."""
