import { useNoticesStore } from '../stores/notices.ts'

/** Copies text and says so; where the clipboard is unavailable, asks the person to copy by hand. */
export function useClipboard() {
  const notices = useNoticesStore()

  async function copy(text: string): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(text)
      notices.success('copy.copied')
      return true
    } catch {
      notices.push('info', { key: 'copy.failed' })
      return false
    }
  }

  return { copy }
}
