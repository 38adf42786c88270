import { type Ref, ref, watch } from 'vue'
import type { VForm } from 'vuetify/components'
import { useApiForm } from './use-api-form.ts'

/**
 * A form in a dialog that starts afresh each time the dialog opens: no message or invalid
 * field left from the last time, and the fields as `onOpen` fills them in. Bind `formRef` to
 * the v-form.
 */
export function useDialogForm(open: Ref<boolean>, onOpen: () => void) {
  const form = useApiForm()
  const formRef = ref<VForm>()

  watch(open, (isOpen) => {
    if (!isOpen) return
    form.clear()
    formRef.value?.resetValidation()
    onOpen()
  })

  /** Checks every field with its rules, showing what is wrong; true when all pass. */
  async function validate(): Promise<boolean> {
    const { valid } = (await formRef.value?.validate()) ?? { valid: false }
    return valid
  }

  return { form, formRef, validate }
}
