"""GATEWAY_AUTHORIZATION_POLICIES: which roles grant each @policy, checked at start-up."""

from __future__ import annotations

import pytest

from common.errors import ConfigurationError
from common.settings import GatewaySettings, load_settings
from gateway.policy.settings import PolicySettings


def test_the_rules_reach_the_request_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "GATEWAY_AUTHORIZATION_POLICIES", '{"read_audit": ["admin", "service"], "never": []}'
    )
    policy = PolicySettings.from_settings(load_settings(GatewaySettings))
    assert policy.authorization_policies == (
        ("never", frozenset()),
        ("read_audit", frozenset({"admin", "service"})),
    )


def test_no_rules_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_AUTHORIZATION_POLICIES", raising=False)
    assert PolicySettings.from_settings(load_settings(GatewaySettings)).authorization_policies == ()


@pytest.mark.parametrize(
    "value", ["{read_audit: admin}", '["admin"]', '{"read_audit": "admin"}', '{"": ["admin"]}']
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GATEWAY_AUTHORIZATION_POLICIES", value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(GatewaySettings)
    assert "GATEWAY_AUTHORIZATION_POLICIES" in str(caught.value)
    assert '{"read_audit": ["admin", "service"]}' in str(caught.value)
