import { graphql } from '../gql'

export const OrderSummaryFields = graphql(`
  fragment OrderSummaryFields on Order {
    id
    status
    totalAmount
    createdAt
    items {
      quantity
      product {
        id
        name
      }
    }
  }
`)

export const MyOrdersDoc = graphql(`
  query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {
    myOrders(page: $page, pageSize: $pageSize, status: $status) {
      items {
        ...OrderSummaryFields
        payment {
          id
          status
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)

export const OrderDoc = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      id
      status
      totalAmount
      shippingAddress
      notes
      cancellationReason
      createdAt
      updatedAt
      items {
        quantity
        unitPrice
        lineTotal
        product {
          id
          sku
          name
        }
      }
      payment {
        id
        status
        amount
        currency
        method
        failureReason
        refundReason
        providerReference
      }
    }
  }
`)

export const CreateOrderDoc = graphql(`
  mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id
      status
      totalAmount
    }
  }
`)

export const CancelOrderDoc = graphql(`
  mutation CancelOrder($id: ID!, $reason: String) {
    cancelOrder(id: $id, reason: $reason) {
      id
      status
      cancellationReason
    }
  }
`)

export const PayOrderDoc = graphql(`
  mutation CreatePayment($input: CreatePaymentInput!) {
    createPayment(input: $input) {
      id
      status
    }
  }
`)

export const ProcessPaymentDoc = graphql(`
  mutation ProcessPayment($id: ID!) {
    processPayment(id: $id) {
      id
      status
      failureReason
    }
  }
`)
