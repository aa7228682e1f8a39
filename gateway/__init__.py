"""The federation gateway: supergraph -> planning | transport -> execution -> app."""
