import { graphql } from '../gql'

export const MyNotificationsDoc = graphql(`
  query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!) {
    myNotifications(page: $page, pageSize: $pageSize, unreadOnly: $unreadOnly, channel: IN_APP) {
      items {
        id
        title
        body
        read
        eventType
        createdAt
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)

export const MarkReadDoc = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      id
      read
      readAt
    }
  }
`)

export const PreferencesDoc = graphql(`
  query MyNotificationPreferences {
    myNotificationPreferences {
      eventTypes {
        eventType
        channels
        isDefault
      }
    }
  }
`)

export const UpdatePreferencesDoc = graphql(`
  mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {
    updateNotificationPreferences(input: $input) {
      eventTypes {
        eventType
        channels
        isDefault
      }
    }
  }
`)
