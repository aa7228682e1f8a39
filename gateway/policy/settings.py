"""The limits and switches of the request policy, read once from `GatewaySettings`."""

from __future__ import annotations

from dataclasses import dataclass

from common.settings import GatewaySettings


@dataclass(frozen=True)
class PolicySettings:
    """What each policy allows; the defaults are `GatewaySettings`' defaults."""

    max_body_bytes: int = 1024 * 1024
    max_document_bytes: int = 64 * 1024
    max_tokens: int = 5000
    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    max_directives: int = 10
    max_fields: int = 2000
    max_cost: int = 10_000
    validation_budget: int = 20_000
    max_json_depth: int = 64
    default_list_size: int = 10
    introspection: bool = True
    #: production: no field suggestions, subgraph error details masked
    production: bool = False
    batching: bool = False
    max_batch_size: int = 10
    #: `@policy` name -> roles granting it (`GATEWAY_AUTHORIZATION_POLICIES`), sorted pairs
    authorization_policies: tuple[tuple[str, frozenset[str]], ...] = ()

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> PolicySettings:
        """The policy of `settings`; introspection defaults to on outside production."""
        introspection = settings.introspection
        return cls(
            max_body_bytes=settings.max_body_bytes,
            max_document_bytes=settings.max_document_bytes,
            max_tokens=settings.max_tokens,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_root_fields=settings.max_root_fields,
            max_directives=settings.max_directives,
            max_fields=settings.max_fields,
            max_cost=settings.max_cost,
            validation_budget=settings.validation_budget,
            max_json_depth=settings.max_json_depth,
            default_list_size=settings.default_list_size,
            introspection=not settings.production if introspection is None else introspection,
            production=settings.production,
            batching=settings.batching,
            max_batch_size=settings.max_batch_size,
            authorization_policies=tuple(
                sorted(
                    (name, frozenset(roles))
                    for name, roles in settings.authorization_policy_rules.items()
                )
            ),
        )
