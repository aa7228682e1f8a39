import { graphql } from '../gql'

export const ProductsDoc = graphql(`
  query Products($page: Int!, $pageSize: Int!, $search: String, $inStock: Boolean) {
    products(page: $page, pageSize: $pageSize, search: $search, inStock: $inStock, active: true) {
      items {
        id
        sku
        name
        description
        price
        stock
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`)
