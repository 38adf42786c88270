import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/http.ts'
import { type Message, problemMessage } from '../i18n/problems.ts'

const MAX_QUEUED = 5

export type NoticeTone = 'success' | 'error' | 'info'

export interface Notice {
  id: number
  tone: NoticeTone
  message: Message
  /** The request id of a failed call, so support can find it in the logs. */
  reference?: string
}

/** Messages for the person that are not tied to a form: shown one at a time in a snackbar. */
export const useNoticesStore = defineStore('notices', () => {
  const queue = ref<Notice[]>([])
  let nextId = 1

  function push(tone: NoticeTone, message: Message, reference?: string): void {
    // A confirmation is stale once the next thing happens; errors wait until they are read.
    const kept = queue.value.filter((notice) => notice.tone === 'error')
    queue.value = [...kept, { id: nextId++, tone, message, reference }].slice(-MAX_QUEUED)
  }

  function success(key: Message['key'], params?: Message['params']): void {
    push('success', { key, params })
  }

  function error(cause: unknown): void {
    // Only failures on the server side need a reference for support; the rest explain themselves.
    const reference = cause instanceof ApiError && cause.status >= 500 ? cause.requestId : undefined
    push('error', problemMessage(cause), reference)
  }

  function dismiss(id: number): void {
    queue.value = queue.value.filter((notice) => notice.id !== id)
  }

  return { queue, push, success, error, dismiss }
})
