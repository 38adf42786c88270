import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { http } from './api/http.ts'
import { createAppI18n } from './i18n/index.ts'
import { decideAccess } from './plugins/route-access.ts'
import { createAppRouter } from './plugins/router.ts'
import { createAppVuetify } from './plugins/vuetify.ts'
import { useSessionStore } from './stores/session.ts'
import { useStatusStore } from './stores/status.ts'

const app = createApp(App)
const pinia = createPinia()
const i18n = createAppI18n()
const router = createAppRouter(pinia)

app.use(pinia).use(i18n).use(createAppVuetify(i18n)).use(router)

// Sandbox or live, before the first page shows. A failure here leaves the banner off; the pages
// that depend on the answer (the wallet) ask again and tell the person when it fails.
void useStatusStore(pinia)
  .ensureLoaded()
  .catch(() => undefined)

// A session can end behind the page's back (expiry, sign-out in another tab): forget it and,
// on a page that needs it, go to sign in and come back afterwards.
http.onUnauthenticated(() => {
  const session = useSessionStore(pinia)
  if (!session.me) return
  session.forget()
  const decision = decideAccess(router.currentRoute.value, null)
  if (decision !== true) void router.push(decision)
})

app.mount('#app')
