import { graphql } from '../gql'

export const RepositoriesDoc = graphql(`
  query Repositories(
    $page: Int!
    $pageSize: Int!
    $ownerId: ID
    $visibility: RepositoryVisibility
    $search: String
  ) {
    repositories(
      page: $page
      pageSize: $pageSize
      ownerId: $ownerId
      visibility: $visibility
      search: $search
    ) {
      items {
        id
        name
        description
        visibility
        url
        createdAt
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)

export const CreateRepositoryDoc = graphql(`
  mutation CreateRepository($input: CreateRepositoryInput!) {
    createRepository(input: $input) {
      id
      name
      visibility
    }
  }
`)
