import { ref } from 'vue'
import { problemMessage } from '../i18n/problems.ts'
import { useI18n } from '../i18n/use-i18n.ts'

/** Loading what a page shows: a failure becomes a message on the page, with a way to retry. */
export function useLoad() {
  const { t } = useI18n()
  const error = ref<string | null>(null)

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    error.value = null
    try {
      await action()
      return true
    } catch (cause) {
      const message = problemMessage(cause)
      error.value = t(message.key, message.params ?? {})
      return false
    }
  }

  return { error, run }
}
