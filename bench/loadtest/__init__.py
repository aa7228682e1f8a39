"""`make loadtest`: the real system (every subgraph and the gateway, production mode, PostgreSQL)
under a realistic mix of clients (Locust), reported in bench/LOADTEST.md.

Modules: `settings` (LOADTEST_*), `stack` (the system: started on throwaway databases, or a
running one), `operations` (the documents, and how this tree's API places orders),
`population` (the data the load needs, made through the gateway), `probes` (SQL statements per
operation), `locustfile` (the mix), `checks` (what counts as a success), `measures` (SQL counters,
CPU time, Locust's CSV), `report` (LOADTEST.md). See bench/loadtest/README.md.
"""
