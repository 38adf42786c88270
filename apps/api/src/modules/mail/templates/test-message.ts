import type { MailTemplate } from './mail-template.js'

export interface TestMessageParams {
  /** A line from whoever asked for the message, shown as it is (escaped in HTML); may be empty. */
  note: string
}

/** A message that says only that mail from this PROTUS arrives (operators check SMTP with it). */
export const testMessage: MailTemplate<TestMessageParams> = {
  en: ({ note }) => ({
    subject: 'PROTUS test message',
    blocks: [
      'This is a test message from PROTUS. If you are reading it, PROTUS can send you email.',
      ...(note ? [`Note from the sender: ${note}`] : []),
    ],
  }),
  ru: ({ note }) => ({
    subject: 'Тестовое письмо PROTUS',
    blocks: [
      'Это тестовое письмо от PROTUS. Если вы его читаете, PROTUS может отправлять вам письма.',
      ...(note ? [`Примечание отправителя: ${note}`] : []),
    ],
  }),
}
