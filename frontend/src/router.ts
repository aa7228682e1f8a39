import { createRouter, createWebHistory } from 'vue-router'
import { session } from './app'
import { guard } from './lib/guard'

declare module 'vue-router' {
  interface RouteMeta {
    title: string
    signedIn?: boolean
    admin?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: () => import('./pages/CatalogueView.vue'), meta: { title: 'Products' } },
    { path: '/cart', component: () => import('./pages/CartView.vue'), meta: { title: 'Your cart' } },
    { path: '/signin', component: () => import('./pages/SignInView.vue'), meta: { title: 'Sign in' } },
    { path: '/register', component: () => import('./pages/RegisterView.vue'), meta: { title: 'Create an account' } },
    { path: '/orders', component: () => import('./pages/OrdersView.vue'), meta: { title: 'Your orders', signedIn: true } },
    { path: '/orders/:id', component: () => import('./pages/OrderView.vue'), meta: { title: 'Order', signedIn: true } },
    { path: '/notifications', component: () => import('./pages/NotificationsView.vue'), meta: { title: 'Notifications', signedIn: true } },
    { path: '/repositories', component: () => import('./pages/RepositoriesView.vue'), meta: { title: 'Your repositories', signedIn: true } },
    { path: '/profile', component: () => import('./pages/ProfileView.vue'), meta: { title: 'Your profile', signedIn: true } },
    { path: '/admin/users', component: () => import('./pages/AdminUsersView.vue'), meta: { title: 'Users', signedIn: true, admin: true } },
    { path: '/admin/orders', component: () => import('./pages/AdminOrdersView.vue'), meta: { title: 'All orders', signedIn: true, admin: true } },
    { path: '/admin/audit', component: () => import('./pages/AuditView.vue'), meta: { title: 'Audit log', signedIn: true, admin: true } },
    { path: '/:rest(.*)*', component: () => import('./pages/NotFoundView.vue'), meta: { title: 'Page not found' } },
  ],
})

router.beforeEach((to) => guard(to, session.signedIn, session.isAdmin) ?? true)

router.afterEach((to) => {
  document.title = `${to.meta.title} · Shop`
})
