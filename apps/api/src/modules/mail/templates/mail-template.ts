import { escapeHtml } from '../../../lib/html-page.js'

/** The languages PROTUS writes to people in. */
export type MailLocale = 'en' | 'ru'
export const mailLocales: readonly MailLocale[] = ['en', 'ru']

/** A piece of a message's body: a paragraph, or a link to follow (a button in HTML). */
export type MailBlock = string | { link: string; label: string }

/** What a template writes in one language; the layout makes plain text and HTML of it. */
export interface MailContent {
  subject: string
  blocks: readonly MailBlock[]
}

/** A message as it is stored and sent. */
export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** A kind of message: its content in each language for the given parameters. */
export type MailTemplate<P> = Readonly<Record<MailLocale, (params: P) => MailContent>>

const signature: Record<MailLocale, string> = { en: '— PROTUS', ru: '— PROTUS' }

/**
 * Plain text and HTML of the same content. Every piece of text, the parameters included, is
 * escaped in the HTML, so a name or note can never add markup or links to a message.
 */
export function renderMail(content: MailContent, locale: MailLocale): RenderedMail {
  const text = [
    ...content.blocks.map((block) => (typeof block === 'string' ? block : `${block.label}:\n${block.link}`)),
    signature[locale],
  ].join('\n\n')
  const paragraph = (block: MailBlock) =>
    typeof block === 'string'
      ? `<p>${escapeHtml(block)}</p>`
      : `<p><a href="${escapeHtml(block.link)}" style="${LINK_STYLE}">${escapeHtml(block.label)}</a></p>`
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="${BODY_STYLE}">`,
    ...content.blocks.map(paragraph),
    `<p>${escapeHtml(signature[locale])}</p>`,
    '</body></html>',
  ].join('\n')
  return { subject: content.subject, text: `${text}\n`, html: `${html}\n` }
}

const BODY_STYLE = 'font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1f2328'
const LINK_STYLE =
  'display: inline-block; padding: 8px 16px; background: #1867c0; color: #ffffff; text-decoration: none; border-radius: 4px'
