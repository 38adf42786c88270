import { describe, expect, it } from 'vitest'
import { mailLocales, renderMail } from './mail-template.js'
import { mailTemplates } from './registry.js'

describe('renderMail', () => {
  it('makes plain text and HTML of the same blocks, escaping every piece of text in the HTML', () => {
    const mail = renderMail(
      {
        subject: 'Reset <your> password',
        blocks: [
          'Someone asked to reset the password of "pat" & co.',
          { link: 'https://protus.test/reset?token=a"b&c=<d>', label: 'Choose a new <password>' },
        ],
      },
      'en',
    )
    expect(mail.subject).toBe('Reset <your> password')
    expect(mail.text).toBe(
      'Someone asked to reset the password of "pat" & co.\n\nChoose a new <password>:\nhttps://protus.test/reset?token=a"b&c=<d>\n\n— PROTUS\n',
    )
    expect(mail.html).toContain('<html lang="en">')
    expect(mail.html).toContain('<title>Reset &lt;your&gt; password</title>')
    expect(mail.html).toContain('<p>Someone asked to reset the password of &quot;pat&quot; &amp; co.</p>')
    expect(mail.html).toContain('href="https://protus.test/reset?token=a&quot;b&amp;c=&lt;d&gt;"')
    expect(mail.html).toContain('>Choose a new &lt;password&gt;</a>')
    expect(mail.html).not.toMatch(/<(password|your|d)>/)
  })
})

describe('the template registry', () => {
  it('has every template in every locale, with a subject and a body', () => {
    const link = 'https://protus.test/x'
    const params = {
      test_message: { note: 'n' },
      password_changed: { name: 'n', changed_at: '2026-12-06 10:00 UTC' },
      receipt: {
        partner: 'p',
        service: null,
        subscription: false,
        amount: 1,
        balance: 2,
        currency: 'RUB',
        link,
      },
      new_partner: { partner: 'p', link },
      low_balance: { balance: 1, threshold: 2, currency: 'RUB', link },
      verify_email: { link },
      change_email: { link, email: 'new@example.com' },
      email_changed: { email: 'new@example.com' },
      reset_password: { link },
      password_reset: {},
    }
    for (const [name, template] of Object.entries(mailTemplates)) {
      for (const locale of mailLocales) {
        const content = template[locale](params[name as keyof typeof params] as never)
        expect(content.subject, `${name} ${locale}`).not.toBe('')
        expect(content.blocks.length, `${name} ${locale}`).toBeGreaterThan(0)
      }
    }
    expect(mailTemplates.test_message.ru({ note: '' }).blocks).toHaveLength(1)
  })
})
