"""The payments subgraph: `Payment` entities, `Order.payment`, a read model of order totals."""
