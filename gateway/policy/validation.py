"""Validation of a document against the API schema: graphql-core's rules, with two changes.

- The overlapping-fields rule (https://spec.graphql.org/October2021/#sec-Field-Selection-Merging)
  compares fields pairwise and can cost seconds for a few kilobytes (300 fragments spread side by
  side, one field repeated with a sub-selection). graphql-core meters that work; this module gives
  it `GATEWAY_VALIDATION_BUDGET` units per document instead of graphql-core's 500,000, so the rule
  stops after a few tens of milliseconds and the document is refused with
  `VALIDATION_BUDGET_EXCEEDED` (400). Every other rule is linear in the document, which the
  token limit bounds before parsing.
- A literal of the wrong type is reported without repeating it (graphql-core writes
  `String cannot represent a non string value: 12345`): the error says what type was expected
  and where (its location), never the value, which may be a password typed in the wrong place.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLInputType,
    GraphQLSchema,
    OverlappingFieldsCanBeMergedRule,
    ValidationContext,
    ValuesOfCorrectTypeRule,
    specified_rules,
    validate,
)
from graphql.language import SKIP, ValueNode, VisitorAction
from graphql.utilities.validate_input_value import validate_input_literal
from graphql.validation import ASTValidationRule

from gateway.policy.errors import VALIDATION_BUDGET_EXCEEDED, PolicyError
from gateway.policy.input_values import input_problem, printed_path


class _ValuesOfCorrectTypeRule(ValuesOfCorrectTypeRule):
    """graphql-core's rule (https://spec.graphql.org/October2021/#sec-Values-of-Correct-Type),
    its errors rebuilt without the literal they found."""

    def is_valid_value_node(
        self, node: ValueNode, input_type: GraphQLInputType | None
    ) -> VisitorAction:
        if input_type:

            def on_error(error: GraphQLError, path: list[str | int]) -> None:
                where = f" at '{printed_path(path)}'" if path else ""
                problem = input_problem(error.message, input_type, path)
                at = error.nodes or node  # the part of the literal at fault
                self.report_error(GraphQLError(f"Invalid value{where}: {problem}.", at))

            validate_input_literal(node, input_type, on_error, None, None, True)
        return SKIP  # the whole literal is checked: its parts are not visited again


def validate_document(
    schema: GraphQLSchema, document: DocumentNode, budget: int
) -> list[GraphQLError]:
    """The validation errors of `document` (none: valid). When the overlapping-fields rule
    spends more than `budget` units, the errors end with one coded `VALIDATION_BUDGET_EXCEEDED`
    (`check_validation_budget` turns it into the refusal); the result may be cached either way."""
    metered: list[OverlappingFieldsCanBeMergedRule] = []

    class BudgetedOverlappingFields(OverlappingFieldsCanBeMergedRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.rule_context.remaining_complexity_budget = budget
            metered.append(self)

    rules: list[type[ASTValidationRule]] = [
        BudgetedOverlappingFields
        if rule is OverlappingFieldsCanBeMergedRule
        else _ValuesOfCorrectTypeRule
        if rule is ValuesOfCorrectTypeRule
        else rule
        for rule in specified_rules
    ]
    errors = validate(schema, document, rules)
    if any(rule.rule_context.remaining_complexity_budget < 0 for rule in metered):
        message = (
            "The document is too costly to validate: it repeats fields or spreads fragments so "
            f"often that checking they can be merged takes more than {budget} steps; merge the "
            "repeated fields and fragment spreads into one selection."
        )
        # graphql-core's "Validation aborted." is dropped: this says why.
        errors = [e for e in errors if e.message != "Validation aborted."]
        errors.append(GraphQLError(message, extensions={"code": VALIDATION_BUDGET_EXCEEDED}))
    return errors


def check_validation_budget(errors: list[GraphQLError]) -> None:
    """`PolicyError` (400 `VALIDATION_BUDGET_EXCEEDED`) when validation ran out of budget."""
    for error in errors:
        if (error.extensions or {}).get("code") == VALIDATION_BUDGET_EXCEEDED:
            raise PolicyError(400, VALIDATION_BUDGET_EXCEEDED, error.message)
