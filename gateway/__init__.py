"""The federation gateway: supergraph -> planning | transport -> execution -> app (see ARCHITECTURE.md)."""
