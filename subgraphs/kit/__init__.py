"""What every subgraph shares and nothing domain-specific.

`errors` (AppError -> GraphQL error), `schema` (federation schema, SDL), `pagination` (PageInfo,
page arguments), `validation`, `ids`, `clock`, `database` and `context` (one session and the
DataLoaders per request), `settings`, `definition` (what a domain plugs in), `app` (FastAPI),
`cli` (`python -m subgraphs.<domain> [serve|migrate|seed|sdl]`).
"""
