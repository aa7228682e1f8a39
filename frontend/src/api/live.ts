import { graphql } from '../gql'

// Subscriptions (docs/subscriptions.md): over graphql-transport-ws on /graphql.

export const NotificationAddedDoc = graphql(`
  subscription NotificationAdded {
    notificationAdded {
      id
      title
      eventType
    }
  }
`)

export const OrderStatusChangedDoc = graphql(`
  subscription OrderStatusChanged($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) {
      id
      status
    }
  }
`)
