import { describe, expect, it } from 'vitest'
import { callbackUrlProblem } from './urls.js'

describe('callbackUrlProblem', () => {
  it.each(['https://a.example/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/x'])(
    'accepts %s',
    (url) => {
      expect(callbackUrlProblem(url)).toBeUndefined()
    },
  )

  it.each([
    'http://a.example/cb',
    'ftp://a.example',
    'cb',
    'https://a.example/#f',
    'https://u:p@a.example/',
    'http://localhost.evil.example/',
  ])('refuses %s', (url) => {
    expect(callbackUrlProblem(url)).toBeTypeOf('string')
  })
})
