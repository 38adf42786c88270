import { ref } from 'vue'
import { ApiError } from '../api/http.ts'
import { FIELD_PROBLEMS, problemMessage } from '../i18n/problems.ts'
import { useI18n } from '../i18n/use-i18n.ts'

/**
 * State of a form that talks to the API: busy while sending, the server's field errors next
 * to their fields, and anything else in one message above the form.
 */
export function useApiForm() {
  const { t } = useI18n()
  const busy = ref(false)
  const fieldErrors = ref<Record<string, string[]>>({})
  const formError = ref<string | null>(null)
  const reference = ref<string | null>(null)

  function clear(): void {
    fieldErrors.value = {}
    formError.value = null
    reference.value = null
  }

  function clearField(field: string): void {
    if (!fieldErrors.value[field]) return
    const { [field]: _removed, ...rest } = fieldErrors.value
    fieldErrors.value = rest
  }

  function show(error: unknown): void {
    const message = problemMessage(error)
    const text = t(message.key, message.params ?? {})
    if (error instanceof ApiError) {
      reference.value = error.status >= 500 ? (error.requestId ?? null) : null
      const fields = error.fieldMessages()
      const field = FIELD_PROBLEMS[error.code]
      if (field) {
        fieldErrors.value = { ...fields, [field]: [text] }
        return
      }
      fieldErrors.value = fields
    }
    formError.value = text
  }

  /** Runs `action`; on failure shows what went wrong and resolves to false. */
  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false
    clear()
    busy.value = true
    try {
      await action()
      return true
    } catch (error) {
      show(error)
      return false
    } finally {
      busy.value = false
    }
  }

  const errorsFor = (field: string): string[] => fieldErrors.value[field] ?? []

  return { busy, fieldErrors, formError, reference, clear, clearField, show, submit, errorsFor }
}
