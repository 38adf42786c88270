import type { Pinia } from 'pinia'
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { AccountKind } from '../api/types.ts'
import type { MessageKey } from '../i18n/use-i18n.ts'
import { useNoticesStore } from '../stores/notices.ts'
import { useSessionStore } from '../stores/session.ts'
import { decideAccess, isServerPath } from './route-access.ts'

declare module 'vue-router' {
  interface RouteMeta {
    /** Only this kind of account may open the page; others are sent to sign in. */
    requires?: AccountKind
    /** Sign-in and sign-up pages, skipped when already signed in as the wanted kind. */
    guestOnly?: boolean
    /** Message key of the document title. */
    title?: MessageKey
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: () => import('../pages/LandingPage.vue'),
    meta: { title: 'titles.landing' },
  },
  {
    path: '/register',
    component: () => import('../pages/RegisterPage.vue'),
    meta: { guestOnly: true, title: 'titles.register' },
  },
  {
    path: '/sign-in',
    component: () => import('../pages/SignInPage.vue'),
    meta: { guestOnly: true, title: 'titles.signIn' },
  },
  {
    path: '/forgot-password',
    component: () => import('../pages/ForgotPasswordPage.vue'),
    meta: { title: 'titles.forgotPassword' },
  },
  {
    path: '/reset-password',
    component: () => import('../pages/ResetPasswordPage.vue'),
    meta: { title: 'titles.resetPassword' },
  },
  {
    path: '/verify-email',
    component: () => import('../pages/VerifyEmailPage.vue'),
    meta: { title: 'titles.verifyEmail' },
  },
  {
    path: '/sandbox/mail',
    component: () => import('../pages/SandboxMailPage.vue'),
    meta: { title: 'titles.sandboxMail' },
  },
  {
    path: '/wallet',
    component: () => import('../pages/WalletPage.vue'),
    meta: { requires: 'customer', title: 'titles.wallet' },
  },
  {
    path: '/wallet/connected',
    component: () => import('../pages/ConnectedServicesPage.vue'),
    meta: { requires: 'customer', title: 'titles.connected' },
  },
  // The person's accounts at partners now live with the partners' access, under Connected services.
  { path: '/wallet/accounts', redirect: '/wallet/connected' },
  {
    path: '/consent/:requestId',
    component: () => import('../pages/ConsentPage.vue'),
    meta: { requires: 'customer', title: 'titles.consent' },
  },
  {
    path: '/account',
    component: () => import('../pages/AccountPage.vue'),
    meta: { requires: 'customer', title: 'titles.account' },
  },
  { path: '/company', redirect: '/company/overview' },
  {
    path: '/company/overview',
    component: () => import('../pages/company/OverviewPage.vue'),
    meta: { requires: 'company', title: 'titles.overview' },
  },
  {
    path: '/company/operations',
    component: () => import('../pages/company/OperationsPage.vue'),
    meta: { requires: 'company', title: 'titles.operations' },
  },
  {
    path: '/company/payouts',
    component: () => import('../pages/company/PayoutsPage.vue'),
    meta: { requires: 'company', title: 'titles.payouts' },
  },
  {
    path: '/company/account',
    component: () => import('../pages/AccountPage.vue'),
    meta: { requires: 'company', title: 'titles.account' },
  },
  {
    path: '/company/accounts',
    component: () => import('../pages/company/AccountsPage.vue'),
    meta: { requires: 'company', title: 'titles.accounts' },
  },
  {
    path: '/company/accounts/:id',
    component: () => import('../pages/company/AccountDetailPage.vue'),
    meta: { requires: 'company', title: 'titles.accountDetail' },
  },
  {
    path: '/company/services',
    component: () => import('../pages/company/ServicesPage.vue'),
    meta: { requires: 'company', title: 'titles.services' },
  },
  {
    path: '/company/subscriptions',
    component: () => import('../pages/company/SubscriptionsPage.vue'),
    meta: { requires: 'company', title: 'titles.subscriptions' },
  },
  {
    path: '/company/credentials',
    component: () => import('../pages/company/CredentialsPage.vue'),
    meta: { requires: 'company', title: 'titles.credentials' },
  },
  {
    path: '/company/webhooks',
    component: () => import('../pages/company/WebhooksPage.vue'),
    meta: { requires: 'company', title: 'titles.webhooks' },
  },
  {
    path: '/:pathMatch(.*)*',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: 'titles.notFound' },
  },
]

export function createAppRouter(pinia: Pinia) {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })

  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia)
    try {
      await session.ensureLoaded()
    } catch (error) {
      // PROTUS is unreachable: say so, and treat the visitor as signed out for this navigation.
      useNoticesStore(pinia).error(error)
    }
    const decision = decideAccess(to, session.me)
    // Someone already signed in who is sent to sign in on the way to the authorization endpoint
    // goes straight on there; that is a page of the server, not of the app.
    if (decision !== true && isServerPath(decision.path)) {
      window.location.assign(decision.path)
      return false
    }
    return decision
  })

  return router
}
