import { graphql } from '../gql'

export const UsersDoc = graphql(`
  query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {
    users(page: $page, pageSize: $pageSize, search: $search, active: $active) {
      items {
        id
        name
        username
        email
        role
        active
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)

export const UpdateUserDoc = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      role
      active
    }
  }
`)

export const AllOrdersDoc = graphql(`
  query AllOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {
    orders(page: $page, pageSize: $pageSize, status: $status) {
      items {
        ...OrderSummaryFields
        user {
          id
          name
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)

export const UpdateOrderStatusDoc = graphql(`
  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {
    updateOrder(id: $id, status: $status) {
      id
      status
    }
  }
`)

export const AuditLogsDoc = graphql(`
  query AuditLogs(
    $page: Int!
    $pageSize: Int!
    $actorId: ID
    $entityType: String
    $entityId: String
    $action: String
    $from: DateTime
    $to: DateTime
  ) {
    auditLogs(
      page: $page
      pageSize: $pageSize
      actorId: $actorId
      entityType: $entityType
      entityId: $entityId
      action: $action
      from: $from
      to: $to
    ) {
      items {
        id
        action
        entityType
        entityId
        actorSubject
        source
        timestamp
        actor {
          id
          name
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)
