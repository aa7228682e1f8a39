/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {\n    users(page: $page, pageSize: $pageSize, search: $search, active: $active) {\n      items {\n        id\n        name\n        username\n        email\n        role\n        active\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      active\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  query AllOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    orders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        user {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.AllOrdersDocument,
    "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrder(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.UpdateOrderStatusDocument,
    "\n  query AuditLogs(\n    $page: Int!\n    $pageSize: Int!\n    $actorId: ID\n    $entityType: String\n    $entityId: String\n    $action: String\n    $from: DateTime\n    $to: DateTime\n  ) {\n    auditLogs(\n      page: $page\n      pageSize: $pageSize\n      actorId: $actorId\n      entityType: $entityType\n      entityId: $entityId\n      action: $action\n      from: $from\n      to: $to\n    ) {\n      items {\n        id\n        action\n        entityType\n        entityId\n        actorSubject\n        source\n        timestamp\n        actor {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.AuditLogsDocument,
    "\n  query Products($page: Int!, $pageSize: Int!, $search: String, $inStock: Boolean) {\n    products(page: $page, pageSize: $pageSize, search: $search, inStock: $inStock, active: true) {\n      items {\n        id\n        sku\n        name\n        description\n        price\n        stock\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    page\n    pageSize\n    totalPages\n    totalCount\n  }\n": typeof types.PageInfoFieldsFragmentDoc,
    "\n  subscription NotificationAdded {\n    notificationAdded {\n      id\n      title\n      eventType\n    }\n  }\n": typeof types.NotificationAddedDocument,
    "\n  subscription OrderStatusChanged($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": typeof types.OrderStatusChangedDocument,
    "\n  query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!) {\n    myNotifications(page: $page, pageSize: $pageSize, unreadOnly: $unreadOnly, channel: IN_APP) {\n      items {\n        id\n        title\n        body\n        read\n        eventType\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.MyNotificationsDocument,
    "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      read\n      readAt\n    }\n  }\n": typeof types.MarkNotificationReadDocument,
    "\n  query MyNotificationPreferences {\n    myNotificationPreferences {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n": typeof types.MyNotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {\n    updateNotificationPreferences(input: $input) {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    totalAmount\n    createdAt\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n": typeof types.OrderSummaryFieldsFragmentDoc,
    "\n  query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    myOrders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        payment {\n          id\n          status\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      totalAmount\n      shippingAddress\n      notes\n      cancellationReason\n      createdAt\n      updatedAt\n      items {\n        quantity\n        unitPrice\n        lineTotal\n        product {\n          id\n          sku\n          name\n        }\n      }\n      payment {\n        id\n        status\n        amount\n        currency\n        method\n        failureReason\n        refundReason\n        providerReference\n      }\n    }\n  }\n": typeof types.OrderDocument,
    "\n  mutation CreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id\n      status\n      totalAmount\n    }\n  }\n": typeof types.CreateOrderDocument,
    "\n  mutation CancelOrder($id: ID!, $reason: String) {\n    cancelOrder(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  mutation CreatePayment($input: CreatePaymentInput!) {\n    createPayment(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.CreatePaymentDocument,
    "\n  mutation ProcessPayment($id: ID!) {\n    processPayment(id: $id) {\n      id\n      status\n      failureReason\n    }\n  }\n": typeof types.ProcessPaymentDocument,
    "\n  query Repositories(\n    $page: Int!\n    $pageSize: Int!\n    $ownerId: ID\n    $visibility: RepositoryVisibility\n    $search: String\n  ) {\n    repositories(\n      page: $page\n      pageSize: $pageSize\n      ownerId: $ownerId\n      visibility: $visibility\n      search: $search\n    ) {\n      items {\n        id\n        name\n        description\n        visibility\n        url\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": typeof types.RepositoriesDocument,
    "\n  mutation CreateRepository($input: CreateRepositoryInput!) {\n    createRepository(input: $input) {\n      id\n      name\n      visibility\n    }\n  }\n": typeof types.CreateRepositoryDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      name\n      username\n      role\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  query Me {\n    me {\n      id\n      name\n      username\n      email\n      age\n      role\n      active\n      createdAt\n    }\n  }\n": typeof types.MeDocument,
};
const documents: Documents = {
    "\n  query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {\n    users(page: $page, pageSize: $pageSize, search: $search, active: $active) {\n      items {\n        id\n        name\n        username\n        email\n        role\n        active\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      active\n    }\n  }\n": types.UpdateUserDocument,
    "\n  query AllOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    orders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        user {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.AllOrdersDocument,
    "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrder(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": types.UpdateOrderStatusDocument,
    "\n  query AuditLogs(\n    $page: Int!\n    $pageSize: Int!\n    $actorId: ID\n    $entityType: String\n    $entityId: String\n    $action: String\n    $from: DateTime\n    $to: DateTime\n  ) {\n    auditLogs(\n      page: $page\n      pageSize: $pageSize\n      actorId: $actorId\n      entityType: $entityType\n      entityId: $entityId\n      action: $action\n      from: $from\n      to: $to\n    ) {\n      items {\n        id\n        action\n        entityType\n        entityId\n        actorSubject\n        source\n        timestamp\n        actor {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.AuditLogsDocument,
    "\n  query Products($page: Int!, $pageSize: Int!, $search: String, $inStock: Boolean) {\n    products(page: $page, pageSize: $pageSize, search: $search, inStock: $inStock, active: true) {\n      items {\n        id\n        sku\n        name\n        description\n        price\n        stock\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.ProductsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    page\n    pageSize\n    totalPages\n    totalCount\n  }\n": types.PageInfoFieldsFragmentDoc,
    "\n  subscription NotificationAdded {\n    notificationAdded {\n      id\n      title\n      eventType\n    }\n  }\n": types.NotificationAddedDocument,
    "\n  subscription OrderStatusChanged($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": types.OrderStatusChangedDocument,
    "\n  query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!) {\n    myNotifications(page: $page, pageSize: $pageSize, unreadOnly: $unreadOnly, channel: IN_APP) {\n      items {\n        id\n        title\n        body\n        read\n        eventType\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.MyNotificationsDocument,
    "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      read\n      readAt\n    }\n  }\n": types.MarkNotificationReadDocument,
    "\n  query MyNotificationPreferences {\n    myNotificationPreferences {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n": types.MyNotificationPreferencesDocument,
    "\n  mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {\n    updateNotificationPreferences(input: $input) {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    totalAmount\n    createdAt\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n": types.OrderSummaryFieldsFragmentDoc,
    "\n  query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    myOrders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        payment {\n          id\n          status\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      totalAmount\n      shippingAddress\n      notes\n      cancellationReason\n      createdAt\n      updatedAt\n      items {\n        quantity\n        unitPrice\n        lineTotal\n        product {\n          id\n          sku\n          name\n        }\n      }\n      payment {\n        id\n        status\n        amount\n        currency\n        method\n        failureReason\n        refundReason\n        providerReference\n      }\n    }\n  }\n": types.OrderDocument,
    "\n  mutation CreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id\n      status\n      totalAmount\n    }\n  }\n": types.CreateOrderDocument,
    "\n  mutation CancelOrder($id: ID!, $reason: String) {\n    cancelOrder(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n    }\n  }\n": types.CancelOrderDocument,
    "\n  mutation CreatePayment($input: CreatePaymentInput!) {\n    createPayment(input: $input) {\n      id\n      status\n    }\n  }\n": types.CreatePaymentDocument,
    "\n  mutation ProcessPayment($id: ID!) {\n    processPayment(id: $id) {\n      id\n      status\n      failureReason\n    }\n  }\n": types.ProcessPaymentDocument,
    "\n  query Repositories(\n    $page: Int!\n    $pageSize: Int!\n    $ownerId: ID\n    $visibility: RepositoryVisibility\n    $search: String\n  ) {\n    repositories(\n      page: $page\n      pageSize: $pageSize\n      ownerId: $ownerId\n      visibility: $visibility\n      search: $search\n    ) {\n      items {\n        id\n        name\n        description\n        visibility\n        url\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n": types.RepositoriesDocument,
    "\n  mutation CreateRepository($input: CreateRepositoryInput!) {\n    createRepository(input: $input) {\n      id\n      name\n      visibility\n    }\n  }\n": types.CreateRepositoryDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      name\n      username\n      role\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  query Me {\n    me {\n      id\n      name\n      username\n      email\n      age\n      role\n      active\n      createdAt\n    }\n  }\n": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {\n    users(page: $page, pageSize: $pageSize, search: $search, active: $active) {\n      items {\n        id\n        name\n        username\n        email\n        role\n        active\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {\n    users(page: $page, pageSize: $pageSize, search: $search, active: $active) {\n      items {\n        id\n        name\n        username\n        email\n        role\n        active\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      active\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AllOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    orders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        user {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AllOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    orders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        user {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrder(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrder(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogs(\n    $page: Int!\n    $pageSize: Int!\n    $actorId: ID\n    $entityType: String\n    $entityId: String\n    $action: String\n    $from: DateTime\n    $to: DateTime\n  ) {\n    auditLogs(\n      page: $page\n      pageSize: $pageSize\n      actorId: $actorId\n      entityType: $entityType\n      entityId: $entityId\n      action: $action\n      from: $from\n      to: $to\n    ) {\n      items {\n        id\n        action\n        entityType\n        entityId\n        actorSubject\n        source\n        timestamp\n        actor {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLogs(\n    $page: Int!\n    $pageSize: Int!\n    $actorId: ID\n    $entityType: String\n    $entityId: String\n    $action: String\n    $from: DateTime\n    $to: DateTime\n  ) {\n    auditLogs(\n      page: $page\n      pageSize: $pageSize\n      actorId: $actorId\n      entityType: $entityType\n      entityId: $entityId\n      action: $action\n      from: $from\n      to: $to\n    ) {\n      items {\n        id\n        action\n        entityType\n        entityId\n        actorSubject\n        source\n        timestamp\n        actor {\n          id\n          name\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products($page: Int!, $pageSize: Int!, $search: String, $inStock: Boolean) {\n    products(page: $page, pageSize: $pageSize, search: $search, inStock: $inStock, active: true) {\n      items {\n        id\n        sku\n        name\n        description\n        price\n        stock\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Products($page: Int!, $pageSize: Int!, $search: String, $inStock: Boolean) {\n    products(page: $page, pageSize: $pageSize, search: $search, inStock: $inStock, active: true) {\n      items {\n        id\n        sku\n        name\n        description\n        price\n        stock\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageInfoFields on PageInfo {\n    page\n    pageSize\n    totalPages\n    totalCount\n  }\n"): (typeof documents)["\n  fragment PageInfoFields on PageInfo {\n    page\n    pageSize\n    totalPages\n    totalCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NotificationAdded {\n    notificationAdded {\n      id\n      title\n      eventType\n    }\n  }\n"): (typeof documents)["\n  subscription NotificationAdded {\n    notificationAdded {\n      id\n      title\n      eventType\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatusChanged($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  subscription OrderStatusChanged($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!) {\n    myNotifications(page: $page, pageSize: $pageSize, unreadOnly: $unreadOnly, channel: IN_APP) {\n      items {\n        id\n        title\n        body\n        read\n        eventType\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!) {\n    myNotifications(page: $page, pageSize: $pageSize, unreadOnly: $unreadOnly, channel: IN_APP) {\n      items {\n        id\n        title\n        body\n        read\n        eventType\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      read\n      readAt\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      read\n      readAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotificationPreferences {\n    myNotificationPreferences {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyNotificationPreferences {\n    myNotificationPreferences {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {\n    updateNotificationPreferences(input: $input) {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {\n    updateNotificationPreferences(input: $input) {\n      eventTypes {\n        eventType\n        channels\n        isDefault\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    totalAmount\n    createdAt\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment OrderSummaryFields on Order {\n    id\n    status\n    totalAmount\n    createdAt\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    myOrders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        payment {\n          id\n          status\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {\n    myOrders(page: $page, pageSize: $pageSize, status: $status) {\n      items {\n        ...OrderSummaryFields\n        payment {\n          id\n          status\n        }\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      totalAmount\n      shippingAddress\n      notes\n      cancellationReason\n      createdAt\n      updatedAt\n      items {\n        quantity\n        unitPrice\n        lineTotal\n        product {\n          id\n          sku\n          name\n        }\n      }\n      payment {\n        id\n        status\n        amount\n        currency\n        method\n        failureReason\n        refundReason\n        providerReference\n      }\n    }\n  }\n"): (typeof documents)["\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      totalAmount\n      shippingAddress\n      notes\n      cancellationReason\n      createdAt\n      updatedAt\n      items {\n        quantity\n        unitPrice\n        lineTotal\n        product {\n          id\n          sku\n          name\n        }\n      }\n      payment {\n        id\n        status\n        amount\n        currency\n        method\n        failureReason\n        refundReason\n        providerReference\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id\n      status\n      totalAmount\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id\n      status\n      totalAmount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($id: ID!, $reason: String) {\n    cancelOrder(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($id: ID!, $reason: String) {\n    cancelOrder(id: $id, reason: $reason) {\n      id\n      status\n      cancellationReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePayment($input: CreatePaymentInput!) {\n    createPayment(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePayment($input: CreatePaymentInput!) {\n    createPayment(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProcessPayment($id: ID!) {\n    processPayment(id: $id) {\n      id\n      status\n      failureReason\n    }\n  }\n"): (typeof documents)["\n  mutation ProcessPayment($id: ID!) {\n    processPayment(id: $id) {\n      id\n      status\n      failureReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Repositories(\n    $page: Int!\n    $pageSize: Int!\n    $ownerId: ID\n    $visibility: RepositoryVisibility\n    $search: String\n  ) {\n    repositories(\n      page: $page\n      pageSize: $pageSize\n      ownerId: $ownerId\n      visibility: $visibility\n      search: $search\n    ) {\n      items {\n        id\n        name\n        description\n        visibility\n        url\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Repositories(\n    $page: Int!\n    $pageSize: Int!\n    $ownerId: ID\n    $visibility: RepositoryVisibility\n    $search: String\n  ) {\n    repositories(\n      page: $page\n      pageSize: $pageSize\n      ownerId: $ownerId\n      visibility: $visibility\n      search: $search\n    ) {\n      items {\n        id\n        name\n        description\n        visibility\n        url\n        createdAt\n      }\n      pageInfo {\n        ...PageInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRepository($input: CreateRepositoryInput!) {\n    createRepository(input: $input) {\n      id\n      name\n      visibility\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRepository($input: CreateRepositoryInput!) {\n    createRepository(input: $input) {\n      id\n      name\n      visibility\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      name\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      name\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n      username\n      email\n      age\n      role\n      active\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n      username\n      email\n      age\n      role\n      active\n      createdAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;