import { graphql } from '../gql'

/** Where a page of any list sits (every list answers `pageInfo`). */
export const PageInfoFields = graphql(`
  fragment PageInfoFields on PageInfo {
    page
    pageSize
    totalPages
    totalCount
  }
`)
