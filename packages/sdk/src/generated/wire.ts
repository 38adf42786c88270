/**
 * The PROTUS API's objects as they come over the wire, generated from packages/sdk/openapi.json
 * (the server's OpenAPI document) by scripts/generate-wire-types.mjs. Do not edit: change the
 * server's schemas and run `npm run generate`.
 */
/* biome-ignore-all lint: generated code */

export interface paths {
  '/.well-known/oauth-authorization-server': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Authorization server metadata (RFC 8414) */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/healthz': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Liveness */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok'
            }
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/metrics': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Prometheus metrics */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Prometheus text exposition format 0.0.4 */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'text/plain': string
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/oauth/authorize': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Authorization endpoint: authorization code with PKCE S256 */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/oauth/introspect': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Token introspection (RFC 7662) */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            [key: string]: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              active: boolean
              scope?: string
              client_id?: string
              sub?: string
              exp?: number
              iat?: number
              iss?: string
              token_type?: string
            }
          }
        }
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/oauth/revoke': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Token revocation (RFC 7009) */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            [key: string]: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/oauth/token': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Token endpoint: authorization_code and refresh_token (with rotation) */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            [key: string]: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              access_token: string
              /** @enum {string} */
              token_type: 'Bearer'
              expires_in: number
              refresh_token: string
              scope: string
            }
          }
        }
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/oauth/userinfo': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The person behind an access token */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              sub: string
              preferred_username?: string
              email?: string
              /** @description Beside email: whether the person followed the link PROTUS mailed to it */
              email_verified?: boolean
            }
          }
        }
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
      }
    }
    put?: never
    /** The person behind an access token */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              sub: string
              preferred_username?: string
              email?: string
              /** @description Beside email: whether the person followed the link PROTUS mailed to it */
              email_verified?: boolean
            }
          }
        }
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: string
              error_description?: string
            }
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/readyz': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Readiness */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok'
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/accounts': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The partner's accounts, newest first, with what each spent and holds */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Account'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Open (or find) the managed account of a direct user
     * @description Idempotent on external_id: the same external_id answers 200 with the account opened first. Needs an Idempotency-Key.
     */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description The partner's own id for its user */
            external_id: string
            /** Format: email */
            email?: string
            username?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Account']
          }
        }
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Account']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/accounts/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One account with spent, held, refunded and last activity */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Account']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/accounts/{id}/balance': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Available and held funds (scope check) */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Balance']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/accounts/{id}/topups': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Top-ups of one of the partner's managed accounts, newest first
     * @description Pending, succeeded and failed, whoever opened them (the partner or an operator). Only managed accounts: a person’s wallet is the person’s business.
     */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
        }
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Topup'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Top-up link for one of the partner's managed accounts
     * @description Answers the pending top-up with checkout_url: hand it to the account's user. Only managed accounts can be topped up by their partner. With return_url, the payment page offers a way back to it.
     */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Integer minor units to add to the wallet */
            amount: number
            /** @description Where the payment page offers to send the user back to; on the origin of one of your redirect URIs */
            return_url?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Topup']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/balance': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Your balance: revenue not yet paid out, payouts in flight, paid out in all */
    get: {
      parameters: {
        query?: {
          /** @description Default: RUB */
          currency?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Read from the ledger: your revenue accounts, the payouts in flight and those paid */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PartnerBalance']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/balance_transactions': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Every movement of your balance, newest first: charges, refunds, payouts, reversals
     * @description The amounts sum to your available balance (a payout takes its amount at once; a failed one comes back as a payout_reversal). Filters by type, account, service (a refund: its charge’s; payouts have none) and creation time.
     */
    get: {
      parameters: {
        query?: {
          limit?: number
          /** @description A balance transaction’s id */
          starting_after?: string
          type?: 'charge' | 'refund' | 'payout' | 'payout_reversal'
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['BalanceTransaction'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/balance_transactions.csv': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Balance transactions as CSV: every one under the filters, newest first
     * @description The balance transactions of `GET /v1/balance_transactions` under the same filters, all of them. RFC 4180 (CRLF line ends, quoted where needed), UTF-8 starting with a byte order mark, a header row; amounts as decimals in major units (12.34) with a currency column, times in ISO 8601 (UTC). Streamed: any number of rows.
     */
    get: {
      parameters: {
        query?: {
          type?: 'charge' | 'refund' | 'payout' | 'payout_reversal'
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The balance transactions as CSV (`Content-Disposition: attachment`) */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'text/csv': string
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/charges': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Charges, newest first; filter by account, service and creation time */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description Every charge is succeeded */
          status?: 'succeeded'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Charge'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /** Charge an account directly (scope charge) */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            account: string
            /** @description Integer minor units */
            amount?: number
            service?: string
            quantity?: number
            description?: string
            /** @description Up to 20 string keys with values of at most 500 characters */
            metadata?: {
              [key: string]: string
            }
          } & (unknown | unknown)
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Charge']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/charges.csv': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Charges as CSV: every charge under the filters, newest first
     * @description The charges of `GET /v1/charges` under the same filters, all of them. RFC 4180 (CRLF line ends, quoted where needed), UTF-8 starting with a byte order mark, a header row; amounts as decimals in major units (12.34) with a currency column, times in ISO 8601 (UTC). Streamed: any number of rows.
     */
    get: {
      parameters: {
        query?: {
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description Every charge is succeeded */
          status?: 'succeeded'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The charges as CSV (`Content-Disposition: attachment`) */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'text/csv': string
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/charges/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One charge */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Charge']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/charges/{id}/refunds': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Refund a charge in full (the default: what is left) or in part */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Integer minor units */
            amount?: number
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Refund']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/companies': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Register a partner company
     * @description Returns the client secret and the webhook signing secret; they are not shown again.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            name: string
            password: string
            /** @description Language of the emails PROTUS sends; default from Accept-Language, else en */
            locale?: 'en' | 'ru'
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['CompanyCreated']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/company': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The partner company */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Company']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /**
     * Change name, redirect URIs or webhook URL
     * @description Redirect URIs and the webhook URL are absolute https URLs (http only on loopback hosts). Redirect URIs are later compared byte for byte. A webhook URL on a loopback, private or link-local host is refused with 400 `webhook_url_not_public` unless the server allows private webhooks (PROTUS_WEBHOOK_ALLOW_PRIVATE).
     */
    patch: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name?: string
            webhook_url?: string | null
            redirect_uris?: string[]
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Company']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    trace?: never
  }
  '/v1/company/secrets/client_secret/rotate': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Issue a new client secret
     * @description The previous secrets keep working until previous_expires_at. Only the dashboard session may rotate (403 dashboard_only with Basic credentials). A company that requires two-factor for rotation sends `two_factor_code` too (403 two_factor_required without it).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Seconds the previous secrets keep working (default: the server’s overlap, one day); 0 ends them now, on every server within a second. */
            previous_expires_in?: number
            /** @description Needed when the company requires two-factor for secret rotation (403 two_factor_required). */
            two_factor_code?: string
            two_factor_recovery_code?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              client_secret: string
              /** Format: date-time */
              previous_expires_at: string
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/company/secrets/webhook_secret/rotate': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Issue a new webhook signing secret
     * @description Until previous_expires_at, webhooks carry signatures under both secrets. Only the dashboard session may rotate (403 dashboard_only with Basic credentials). A company that requires two-factor for rotation sends `two_factor_code` too (403 two_factor_required without it).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Seconds the previous secrets keep working (default: the server’s overlap, one day); 0 ends them now, on every server within a second. */
            previous_expires_in?: number
            /** @description Needed when the company requires two-factor for secret rotation (403 two_factor_required). */
            two_factor_code?: string
            two_factor_recovery_code?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              webhook_secret: string
              /** Format: date-time */
              previous_expires_at: string
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/company/two-factor-policy': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    /**
     * Whether rotating a secret needs a two-factor code
     * @description Needs two-factor sign-in on (409 two_factor_not_enabled) and a code or recovery code, to turn the rule on and off. Under the rule, the rotate endpoints take `two_factor_code` and answer 403 two_factor_required without it.
     */
    put: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            required_for_secret_rotation: boolean
            /** @description The 6-digit code the authenticator app shows now. */
            code?: string
            /** @description One of the recovery codes given when two-factor was turned on; each works once. */
            recovery_code?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['TwoFactorStatus']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/company/webhooks': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * The webhook endpoint and whether it is enabled
     * @description An endpoint that answers 410 Gone is disabled; its events wait until the webhook URL is set again.
     */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['WebhookEndpoint']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/company/webhooks/test': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Send a ping event
     * @description An Idempotency-Key, when sent, makes a retry answer the first ping instead of sending another. Test events and manual retries share a limit per company and minute (429 `rate_limited` with Retry-After).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['WebhookDelivery']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/customers': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Register a person */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            username: string
            password: string
            /** @description Language of the emails PROTUS sends; default from Accept-Language, else en */
            locale?: 'en' | 'ru'
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Customer']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/email-verifications/complete': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Verify an email from a mailed link
     * @description Proves the account’s email, or, for a link sent after a change of email, makes the new address the account’s (and tells the old one). Needs no session.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description The `token` of the mailed link */
            token: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              kind: 'customer' | 'company'
              email: string
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        410: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/holds': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Holds, newest first; filter by account, service, creation time and status */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description A pending hold past its expiry is expired */
          status?: 'pending' | 'captured' | 'released' | 'expired'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Hold'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /** Reserve funds (scope hold) */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            account: string
            /** @description Integer minor units */
            amount?: number
            service?: string
            quantity?: number
            description?: string
            /** @description Up to 20 string keys with values of at most 500 characters */
            metadata?: {
              [key: string]: string
            }
            /** @description Seconds, at most 7 days; default 604800 */
            expires_in?: number
          } & (unknown | unknown)
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Hold']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/holds/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One hold */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Hold']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/holds/{id}/capture': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Capture a hold in full or in part (scope charge); the rest is released */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Integer minor units */
            amount?: number
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Hold']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/holds/{id}/release': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Release a hold */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': Record<string, never>
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Hold']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Who is signed in */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Who the session belongs to, with the token for the X-CSRF-Token header */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Me']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/accounts': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The person's accounts at partners, with what each spent and holds */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['PartnerAccount'][]
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/email': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Change email
     * @description Needs the current password. Mails a link (24 hours, single use) to the new address; the email changes when it is followed, and the old address is told.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            password: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {boolean} */
              accepted: true
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/email-verification': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Send the verification link again
     * @description At most 5 messages an hour to one address. 409 email_already_verified when the email is proven.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {boolean} */
              accepted: true
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/entries': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Statement: every movement on the wallet, newest first
     * @description Filters combine, and the cursor walks the filtered list: pass the same filters with `starting_after`.
     */
    get: {
      parameters: {
        query?: {
          limit?: number
          /** @description The id of the last entry already seen */
          starting_after?: string
          /** @description Only movements with this partner (`co_…`) */
          partner?: string
          /** @description Only lines of this kind */
          kind?: 'top_up' | 'charge' | 'hold' | 'capture' | 'release' | 'expiry' | 'refund'
          /** @description Only what happened at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only what happened before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description Only lines whose description contains this text, in any letter case; empty: every line */
          q?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Entry'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/entries.csv': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Statement as CSV: every line under the filters, newest first
     * @description The lines of `GET /v1/me/entries` under the same filters, all of them, streamed as a download. RFC 4180 (CRLF line ends, quoted where needed), UTF-8 starting with a byte order mark, a header row; amounts as decimals in major units (12.34) with a currency column, times in ISO 8601 (UTC).
     */
    get: {
      parameters: {
        query?: {
          /** @description Only movements with this partner (`co_…`) */
          partner?: string
          /** @description Only lines of this kind */
          kind?: 'top_up' | 'charge' | 'hold' | 'capture' | 'release' | 'expiry' | 'refund'
          /** @description Only what happened at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only what happened before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description Only lines whose description contains this text, in any letter case; empty: every line */
          q?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The statement as CSV (`Content-Disposition: attachment`) */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'text/csv': string
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/grants': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Partners with access to the person’s account
     * @description The connected partners, newest first. With include=revoked, then the partners the person disconnected, most recently revoked first, with what they spent.
     */
    get: {
      parameters: {
        query?: {
          /** @description Also the partners whose access the person revoked (and that are not connected again): the latest grant of each, with revoked_at */
          include?: 'revoked'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Grant'][]
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/grants/{client_id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    /** Revoke a partner’s access at once */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          client_id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/grants/{client_id}/limit': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    /**
     * Set or remove the monthly spending limit of a partner
     * @description What the partner may take in a calendar month (UTC): its charges and captures of the month less their refunds, plus its open holds. Holds and charges past it are refused with 402 spending_limit_exceeded; null removes the limit. The partner gets a grant.updated webhook.
     */
    put: {
      parameters: {
        query?: never
        header?: never
        path: {
          client_id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description What the partner may take in a calendar month (UTC), in minor units; null for no limit */
            monthly_limit: number | null
          }
        }
      }
      responses: {
        /** @description A partner the signed-in person allowed to act for them */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Grant']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/notifications': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** What PROTUS emails the person about their money */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description A low-balance alert is sent once each time the funds fall below the threshold */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['NotificationSettings']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /**
     * Switch receipts, new-partner emails or low-balance alerts; set the threshold and language
     * @description A new threshold (or null) re-arms the alert: the next movement below it alerts.
     */
    patch: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            receipts?: boolean
            new_partner?: boolean
            /** @description Email an alert when the available funds fall below this (minor units); null: no alerts */
            low_balance_threshold?: number | null
            /** @description The language of the emails */
            locale?: 'en' | 'ru'
          }
        }
      }
      responses: {
        /** @description A low-balance alert is sent once each time the funds fall below the threshold */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['NotificationSettings']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    trace?: never
  }
  '/v1/me/password': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Change the password
     * @description Needs the current password. Sets the new one, signs out every other session of the account and emails the account a notice. At most 10 attempts per account an hour (429 too_many_attempts).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            current_password: string
            new_password: string
            /** @description The language of the notice email; without it, the first of Accept-Language. */
            locale?: 'en' | 'ru'
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description How many sessions were ended. */
              signed_out: number
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/sessions': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Where the account is signed in
     * @description Every live session of the account, the most recently seen first; `current` marks this one.
     */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['AccountSession'][]
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/sessions/sign-out-others': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Sign out everywhere else
     * @description Ends every session of the account except the current one.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description How many sessions were ended. */
              signed_out: number
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/sessions/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    /**
     * Sign one session out
     * @description Ends one session of the account; the device is signed out at its next request. Ending the current session signs this browser out too (the cookie is cleared).
     */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/spending': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * What went to partners: charges less refunds, per month or per partner
     * @description A charge (a capture too) counts when it was made, a refund when it was made, so a month can be below zero. By month: every UTC month of the period, oldest first, split by partner; without `created[gte]` the period starts 11 months before the month of its end, and without `created[lt]` it ends with the current month; at most 120 months. By partner: over the period given, or over all time.
     */
    get: {
      parameters: {
        query: {
          /** @description month: each UTC month of the period, by partner; partner: each partner over the period */
          group_by: 'month' | 'partner'
          /** @description Only what happened at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only what happened before this time (ISO 8601) */
          'created[lt]'?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json':
              | components['schemas']['SpendingByMonth']
              | components['schemas']['SpendingByPartner']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/subscriptions': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The person’s subscriptions at every partner, newest first */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['PersonSubscription'][]
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/subscriptions/{id}/cancel': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Stop a subscription at the end of the paid period (a past-due one ends now) */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PersonSubscription']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/subscriptions/{id}/pay': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Pay the due period of a past-due subscription now
     * @description Answers the subscription, active again, or the charge’s refusal (402 or 403); a refusal leaves it past due with its retries as they were.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PersonSubscription']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/topups': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Top up the signed-in person's wallet
     * @description Answers the pending top-up with checkout_url, the payment page to send the person to.
     */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Integer minor units to add to the wallet */
            amount: number
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Topup']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/topups/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * One of the signed-in person's top-ups
     * @description A pending top-up is first asked after at its payment provider, so polling settles one whose webhook was lost.
     */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Topup']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/two-factor': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Whether two-factor sign-in is on */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['TwoFactorStatus']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Start enrolling an authenticator app
     * @description Answers a new secret as a QR code and as a key to type; two-factor stays off until POST /v1/me/two-factor/confirm with a code from the app. Starting again replaces a pending secret; 409 two_factor_already_enabled while it is on.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description The key in base32, for typing into the app by hand. */
              secret: string
              otpauth_uri: string
              /** @description The otpauth URI as an SVG QR code, in a data: URL. */
              qr_code: string
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/two-factor/confirm': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Turn two-factor sign-in on with a first code
     * @description Answers ten single-use recovery codes, shown only now.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description The 6-digit code the authenticator app shows now. */
            code: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description Shown only now; PROTUS keeps digests. */
              recovery_codes: string[]
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/two-factor/disable': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Turn two-factor sign-in off
     * @description Needs a code or a recovery code. Unused recovery codes end with it, and so does a company’s rule that secret rotation needs a code.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description The 6-digit code the authenticator app shows now. */
            code?: string
            /** @description One of the recovery codes given when two-factor was turned on; each works once. */
            recovery_code?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/me/wallet': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Available, held and posted funds */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description available = posted - held */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Wallet']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/oauth/requests/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** An authorization request waiting for consent */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description A partner's request to act for the signed-in person */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ConsentRequest']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/oauth/requests/{id}/decision': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Allow (with the scopes switched on) or deny; answers where to send the browser */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            allow: boolean
            scopes?: ('check' | 'hold' | 'charge' | 'profile' | 'email')[]
            /** @description What the partner may take in a calendar month (UTC), in minor units; null for no limit */
            monthly_limit?: number | null
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              redirect_to: string
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/password-resets': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Forgot password: mail a reset link
     * @description Mails a link (valid 1 hour, single use) to the person and the company with this email (only `kind`’s when given). Answers 202 whether or not the email is registered, and does not say.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            kind?: 'customer' | 'company'
          }
        }
      }
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {boolean} */
              accepted: true
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/password-resets/complete': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Set a new password from a reset link
     * @description Signs the account out of every session and mails a notice. An unknown or forged link is 400 link_invalid; a used or expired one 410 link_used or link_expired; nothing changes then.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description The `token` of the mailed link */
            token: string
            password: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              kind: 'customer' | 'company'
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        410: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/payouts': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Your payouts, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          status?: 'pending' | 'paid' | 'failed'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Payout'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Request a payout of available revenue (the company dashboard only)
     * @description The amount leaves your available balance at once and shows in pending_payouts until the operator pays it (payout.paid) or it fails (payout.failed, the amount comes back).
     */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description Integer minor units */
            amount: number
            /** @description Default: RUB */
            currency?: string
            description?: string
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Payout']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/payouts/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One payout */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Payout']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/providers/sandbox/events': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Payment outcome from the sandbox provider (signed)
     * @description Body {payment_id, outcome: "succeeded" | "failed"}; header x-sandbox-signature is the hex HMAC-SHA256 of the raw body under the sandbox key. Completes the top-up once; a repeat answers 200 and changes nothing.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {boolean} */
              received: true
              topup: string
              status: string
              /** @description false when the top-up was already completed */
              changed: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/providers/stripe/webhook': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Payment events from the stripe provider (signed)
     * @description Stripe sends checkout.session.completed, checkout.session.async_payment_succeeded, checkout.session.async_payment_failed and checkout.session.expired here, signed with the endpoint secret (PROTUS_STRIPE_WEBHOOK_SECRET) in the Stripe-Signature header over the raw body. A repeated or unknown event answers 200 and changes nothing; a bad signature is 400 webhook_signature_invalid.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Only `received` for an event that settles no top-up of this PROTUS */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {boolean} */
              received: true
              /** @description The top-up the event settled */
              topup?: string
              status?: string
              /** @description false when the top-up was already completed */
              changed?: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        415: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/refunds': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Refunds, newest first; filter by charge, account, service (the charge’s) and creation time */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          /** @description Only this account’s (`acct_…`) */
          account?: string
          /** @description Only those of this service (`svc_…`); a refund, its charge’s */
          service?: string
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
          /** @description Only the refunds of this charge (`ch_…`) */
          charge?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Refund'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/reports/revenue': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Revenue by service, day or month: charges, gross, refunds and net per currency
     * @description A charge counts when it was created (captures included), a refund when it was made, under its charge’s service; `created[gte]` and `created[lt]` bound both. Keys in order.
     */
    get: {
      parameters: {
        query: {
          /** @description service: the charge’s service (null for an amount); day, month: in UTC */
          group_by: 'service' | 'day' | 'month'
          /** @description Only those created at or after this time (ISO 8601) */
          'created[gte]'?: string
          /** @description Only those created before this time (ISO 8601) */
          'created[lt]'?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['RevenueReport']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/sandbox/clock': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The sandbox clock's time */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description The sandbox clock's current time: what every object's times and every time-based rule read */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['SandboxClock']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Move the sandbox clock forward
     * @description Runs everything that comes due on the way in time order (subscription renewals and retries, hold expiry, webhook deliveries and retries), then answers the new time. The clock never moves back.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @description How far to move the clock forward, in seconds (at most 366 days) */
            advance_seconds: number
          }
        }
      }
      responses: {
        /** @description The sandbox clock's current time: what every object's times and every time-based rule read */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['SandboxClock']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/sandbox/mail': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Messages in the sandbox mailbox, newest first
     * @description Sandbox mode without `PROTUS_SMTP_URL` delivers email here instead of over SMTP. No authentication: anyone who can reach a sandbox server can read its mailbox.
     */
    get: {
      parameters: {
        query?: {
          /** @description Only messages to this address (any letter case) */
          to?: string
          limit?: number
          starting_after?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['SandboxMail'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/services': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The partner's services, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          active?: boolean
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Service'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Publish a paid service
     * @description An Idempotency-Key, when sent, makes a retry return the service created first.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name: string
            /** @description Integer minor units (kopecks for RUB) */
            price: number
            /** @description ISO 4217, default RUB */
            currency?: string
            recurring?: {
              interval: 'day' | 'week' | 'month' | 'year'
              count: number
            } | null
          }
        }
      }
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Service']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/services/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One service */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Service']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    /** Rename, reprice, archive or restore a service */
    patch: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name?: string
            /** @description Integer minor units (kopecks for RUB) */
            price?: number
            /** @description false archives the service, true restores it */
            active?: boolean
          }
        }
      }
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Service']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    trace?: never
  }
  '/v1/sessions': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Whether anyone is signed in
     * @description Answers 200 with or without a session, so that a page can ask who is signed in without an error: `{"signed_in": false}` for a visitor, or the session's owner as GET /v1/me gives it. GET /v1/me answers 401 without a session instead.
     */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Whether the request carries a live session, and whose it is */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['SessionState']
          }
        }
      }
    }
    put?: never
    /**
     * Sign in
     * @description Sets the HttpOnly session cookie. For an account with two-factor sign-in on, answers 202 with a challenge instead and sets no cookie: POST /v1/sessions/two-factor with a code completes the sign-in. Requests that change state with that cookie must send the returned csrf_token in the X-CSRF-Token header. Without `kind`, signs in to the account of the email that the password opens, person or company; when it opens both, 409 account_kind_ambiguous asks for `kind`.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string
            password: string
            /** @description Which account of the email to sign in to. Without it, the one the password opens; when it opens both, 409 account_kind_ambiguous. */
            kind?: 'customer' | 'company'
          }
        }
      }
      responses: {
        /** @description Who the session belongs to, with the token for the X-CSRF-Token header */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Me']
          }
        }
        /** @description The password was right; a two-factor code is needed. */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['SignInChallenge']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    /** Sign out */
    delete: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/sessions/two-factor': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Sign in: the two-factor code step
     * @description Answers the challenge of a 202 from POST /v1/sessions with a code from the authenticator app or one unused recovery code (not both), and then signs in as POST /v1/sessions does. The challenge works once and for 5 minutes; wrong codes are slowed like wrong passwords (429 too_many_attempts).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            challenge_id: string
            /** @description The 6-digit code the authenticator app shows now. */
            code?: string
            /** @description One of the recovery codes given when two-factor was turned on; each works once. */
            recovery_code?: string
          }
        }
      }
      responses: {
        /** @description Who the session belongs to, with the token for the X-CSRF-Token header */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Me']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/status': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The mode, version and currency of this PROTUS (no authentication) */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description What this PROTUS is (no sign-in needed) */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PlatformStatus']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/subscriptions': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Subscriptions, newest first; filter by account, status and service */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          account?: string
          /** @description active: the current period is paid; past_due: the next period was refused and is retried; canceled: ended */
          status?: 'active' | 'past_due' | 'canceled'
          service?: string
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['Subscription'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    /**
     * Subscribe an account to a recurring service, charging the first period now (scope charge)
     * @description The first period is charged at once, as an ordinary charge; the subscription exists only when it succeeded. A refusal (402 insufficient_funds or spending_limit_exceeded, 403 grant_revoked or insufficient_scope) is saved under the Idempotency-Key like a charge’s. The price per period is fixed now: a later price change of the service applies to new subscriptions only.
     */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description Required: 1 to 255 characters, unique per logical operation */
          'idempotency-key'?: string
        }
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            account: string
            /** @description An active recurring service of yours */
            service: string
            quantity?: number
            /** @description Up to 20 string keys with values of at most 500 characters */
            metadata?: {
              [key: string]: string
            }
          }
        }
      }
      responses: {
        /** @description A subscription to a recurring service. Period n runs from n intervals after created_at to n+1 (UTC, month ends kept: Jan 31 → Feb 28/29 → Mar 31). */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Subscription']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        402: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/subscriptions/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One subscription */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description A subscription to a recurring service. Period n runs from n intervals after created_at to n+1 (UTC, month ends kept: Jan 31 → Feb 28/29 → Mar 31). */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Subscription']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/subscriptions/{id}/cancel': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Cancel at the end of the paid period (the default) or now
     * @description No refund: refund the charge if you want to. A canceled subscription answers 409 subscription_canceled.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description true (the default): ends at current_period_end without another charge; false: ends now. A past-due subscription ends now either way.
             * @default true
             */
            at_period_end?: boolean
          }
        }
      }
      responses: {
        /** @description A subscription to a recurring service. Period n runs from n intervals after created_at to n+1 (UTC, month ends kept: Jan 31 → Feb 28/29 → Mar 31). */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Subscription']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/topups/{id}/return': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /**
     * Where the payment page sends the payer back to
     * @description Asks the provider how a pending top-up stands and completes it if it has ended, then redirects (303) to the partner's return_url, or to the web wallet for a person (/wallet?topup=…); a managed account without return_url gets a result page.
     */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/webhook-deliveries': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The delivery log, newest first, with every attempt */
    get: {
      parameters: {
        query?: {
          limit?: number
          starting_after?: string
          /** @description pending: not delivered yet (retrying); succeeded: a 2xx answer; failed: the retry schedule ran out; skipped: no webhook URL was set when it was due */
          status?: 'pending' | 'succeeded' | 'failed' | 'skipped'
          /** @description The event type */
          type?:
            | 'account.created'
            | 'grant.created'
            | 'grant.revoked'
            | 'grant.updated'
            | 'hold.created'
            | 'hold.captured'
            | 'hold.released'
            | 'hold.expired'
            | 'charge.succeeded'
            | 'charge.refunded'
            | 'wallet.topped_up'
            | 'subscription.created'
            | 'subscription.renewed'
            | 'subscription.payment_failed'
            | 'subscription.updated'
            | 'subscription.canceled'
            | 'payout.created'
            | 'payout.paid'
            | 'payout.failed'
            | 'ping'
        }
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              data: components['schemas']['WebhookDelivery'][]
              has_more: boolean
            }
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/webhook-deliveries/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** One delivery with every attempt */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['WebhookDelivery']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/v1/webhook-deliveries/{id}/retry': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Send a delivery again now
     * @description Any delivery may be sent again, a succeeded one too. A failed one that fails again stays failed; a pending one keeps its retry schedule. Test events and manual retries share a limit per company and minute (429 `rate_limited` with Retry-After).
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['WebhookDelivery']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
        /** @description RFC 9457 problem details with a stable code */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Problem']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
export interface webhooks {
  'account.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A managed account was created, or a person's account on their first consent
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.account.created']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'grant.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A person gave you access (on every consent)
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.grant.created']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'grant.revoked': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A person took your access back
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.grant.revoked']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'grant.updated': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A person changed the scopes or the monthly limit
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.grant.updated']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'hold.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * Funds were held
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.hold.created']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'hold.captured': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A hold was captured
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.hold.captured']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'hold.released': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A hold was released
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.hold.released']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'hold.expired': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A hold expired and its funds came back
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.hold.expired']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'charge.succeeded': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A charge succeeded; also sent when a hold is captured
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.charge.succeeded']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'charge.refunded': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A charge was refunded
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.charge.refunded']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'wallet.topped_up': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A managed account was topped up
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.wallet.topped_up']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'subscription.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A subscription started; its first period was charged (a charge.succeeded too)
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.subscription.created']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'subscription.renewed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * The next period of a subscription was charged (a charge.succeeded too)
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.subscription.renewed']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'subscription.payment_failed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A renewal was refused: the subscription is past due until next_retry_at, or canceled when that was its last retry
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.subscription.payment_failed']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'subscription.updated': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * cancel_at_period_end was switched on: the subscription ends at current_period_end
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.subscription.updated']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'subscription.canceled': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A subscription ended; cancel_reason says why
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.subscription.canceled']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'payout.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * You requested a payout; its amount left your available balance
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.payout.created']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'payout.paid': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * The operator paid a payout out (reference names the transfer)
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.payout.paid']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  'payout.failed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * A payout failed (failure_reason says why); its amount is back in your available balance
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.payout.failed']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  ping: {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /**
     * The test event
     * @description Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); retried until a 2xx answer.
     */
    post: operations['webhook.ping']
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
export interface components {
  schemas: {
    Account: {
      id: string
      kind: 'protus' | 'managed'
      external_id: string | null
      email: string | null
      username: string | null
      currency: string
      scopes: ('check' | 'hold' | 'charge')[]
      /** @description Integer minor units */
      spent: number
      /** @description Integer minor units */
      held: number
      /** @description Integer minor units */
      refunded: number
      last_activity_at: string | null
      spending_limit: {
        /** @description Integer minor units */
        monthly: number
        /** @description Integer minor units */
        remaining: number
        /** Format: date-time */
        resets_at: string
      } | null
      /** Format: date-time */
      created_at: string
    }
    AccountSession: {
      id: string
      /** @description The session of this request. */
      current: boolean
      /** @description The browser, as the user agent names it ("Firefox"); null when it does not say. */
      browser: string | null
      /** @description The operating system ("Windows", "iOS"); null when the user agent does not say. */
      os: string | null
      /** @description The User-Agent header of the sign-in, at most 512 characters. */
      user_agent: string
      /** @description The client address the session was last used from. */
      address: string
      /** Format: date-time */
      created_at: string
      /** Format: date-time */
      last_seen_at: string
      /** Format: date-time */
      expires_at: string
    }
    Balance: {
      account: string
      currency: string
      /** @description Integer minor units */
      available: number
      /** @description Integer minor units */
      held: number
      spending_limit: {
        /** @description Integer minor units */
        monthly: number
        /** @description Integer minor units */
        remaining: number
        /** Format: date-time */
        resets_at: string
      } | null
    }
    BalanceTransaction: {
      /** @description `txn_` and its source’s id; a payout’s reversal ends in `_reversal` */
      id: string
      /** @enum {string} */
      object: 'balance_transaction'
      type: 'charge' | 'refund' | 'payout' | 'payout_reversal'
      /** @description Signed minor units: charges and payout reversals add, refunds and payouts take away */
      amount: number
      /** @description Integer minor units */
      fee: number
      /** @description amount − fee */
      net: number
      currency: string
      /** @description The charge (`ch_…`), refund (`re_…`) or payout (`po_…`) */
      source: string
      service: string | null
      account: string | null
      description: string | null
      /** Format: date-time */
      created_at: string
    }
    Charge: {
      id: string
      /** @enum {string} */
      object: 'charge'
      account: string
      /** @description Integer minor units */
      amount: number
      currency: string
      service: string | null
      quantity: number | null
      description: string | null
      metadata: {
        [key: string]: string
      }
      hold: string | null
      /** @enum {string} */
      status: 'succeeded'
      /** @description Integer minor units */
      amount_refunded: number
      /** Format: date-time */
      created_at: string
    }
    Company: {
      id: string
      name: string
      email: string
      client_id: string
      redirect_uris: string[]
      webhook_url: string | null
      client_secrets: {
        hint: string
        /** Format: date-time */
        created_at: string
        expires_at: string | null
      }[]
      webhook_secrets: {
        hint: string
        /** Format: date-time */
        created_at: string
        expires_at: string | null
      }[]
      /** Format: date-time */
      created_at: string
    }
    CompanyCreated: {
      id: string
      name: string
      email: string
      client_id: string
      /** @description Shown only now; PROTUS keeps a SHA-256 digest. */
      client_secret: string
      /** @description Standard Webhooks signing secret (whsec_…); shown only now. */
      webhook_secret: string
      /** Format: date-time */
      created_at: string
    }
    /** @description A partner's request to act for the signed-in person */
    ConsentRequest: {
      id: string
      client: {
        client_id: string
        name: string
      }
      redirect_uri: string
      /** @description The scopes asked for; granted: the person allowed it to this partner before */
      scopes: {
        /** @enum {string} */
        scope: 'check' | 'hold' | 'charge' | 'profile' | 'email'
        granted: boolean
      }[]
      /** @description Scopes the person allowed this partner before that the request does not ask for: they stay allowed whatever the answer */
      kept_scopes: ('check' | 'hold' | 'charge' | 'profile' | 'email')[]
      /** @description The monthly limit already set for this partner, if the person granted it before */
      monthly_limit: number | null
      /** Format: date-time */
      expires_at: string
    }
    Customer: {
      id: string
      email: string
      username: string
      /** Format: date-time */
      created_at: string
    }
    Entry: {
      /** @description The ledger transfer id (with ":rest" for the line that gives back what a partial capture left of its hold); pass the last one as starting_after */
      id: string
      kind: 'top_up' | 'charge' | 'hold' | 'capture' | 'release' | 'expiry' | 'refund'
      /** @description Integer minor units */
      amount: number
      /** @description debit takes or reserves money; credit brings money in or gives held money back */
      direction: 'debit' | 'credit'
      /** @description Signed change of the available funds: balance_after of the line before plus this is this balance_after. A capture pays out of funds its hold already reserved, so its change is 0; the rest of a partial capture comes back as a release line of its own. */
      available_change: number
      /** @description Available funds right after this movement */
      balance_after: number
      partner: {
        id: string
        name: string
      } | null
      service: {
        id: string
        name: string
      } | null
      subscription: string | null
      description: string | null
      /** Format: date-time */
      created_at: string
    }
    /** @description A partner the signed-in person allowed to act for them */
    Grant: {
      client_id: string
      company: {
        id: string
        name: string
      }
      scopes: ('check' | 'hold' | 'charge' | 'profile' | 'email')[]
      account_id: string
      /** Format: date-time */
      created_at: string
      last_used_at: string | null
      spent: number
      monthly_limit: number | null
      /** @description This calendar month’s (UTC) charges and captures at the partner, less their refunds */
      spent_this_month: number
      /** @description The limit less spent_this_month and the open holds; null without a limit */
      limit_remaining: number | null
      /** @description When the month ends (UTC) */
      limit_resets_at: string | null
      /** @description When the person took the access away; null while the partner is connected */
      revoked_at: string | null
    }
    /** @description monthly_limit: what the person lets you take in a calendar month (UTC); null: no limit */
    GrantData: {
      /** @enum {string} */
      object: 'grant'
      account: string
      scopes: ('check' | 'hold' | 'charge' | 'profile' | 'email')[]
      monthly_limit: number | null
      /** Format: date-time */
      created_at?: string
      /** Format: date-time */
      updated_at?: string
      /** Format: date-time */
      revoked_at?: string
    }
    Hold: {
      id: string
      /** @enum {string} */
      object: 'hold'
      account: string
      /** @description Integer minor units */
      amount: number
      currency: string
      service: string | null
      quantity: number | null
      description: string | null
      metadata: {
        [key: string]: string
      }
      status: 'pending' | 'captured' | 'released' | 'expired'
      /** @description Integer minor units */
      captured_amount: number
      charge: {
        id: string
        /** @description Integer minor units */
        amount: number
      } | null
      /** Format: date-time */
      expires_at: string
      /** Format: date-time */
      created_at: string
      resolved_at: string | null
    }
    /** @description A top-up of one of your managed accounts */
    ManagedTopup: {
      id: string
      account: string
      status: 'pending' | 'succeeded' | 'failed'
      /** @description Integer minor units */
      amount: number
      currency: string
      /** @description The provider's payment page; hand it to the payer */
      checkout_url: string | null
      /** Format: date-time */
      created_at: string
      completed_at: string | null
    }
    /** @description Who the session belongs to, with the token for the X-CSRF-Token header */
    Me:
      | {
          /** @enum {string} */
          kind: 'customer'
          id: string
          email: string
          username: string
          /** @description Whether the person followed the link PROTUS mailed */
          email_verified: boolean
          csrf_token: string
        }
      | {
          /** @enum {string} */
          kind: 'company'
          id: string
          email: string
          name: string
          /** @description Whether the company followed the link PROTUS mailed */
          email_verified: boolean
          csrf_token: string
        }
    /** @description A low-balance alert is sent once each time the funds fall below the threshold */
    NotificationSettings: {
      /** @description A receipt for every charge, subscription renewals included */
      receipts: boolean
      /** @description An email when the person connects a new partner (first consent) */
      new_partner: boolean
      /** @description Email an alert when the available funds fall below this (minor units); null: no alerts */
      low_balance_threshold: number | null
      /** @description The language of the emails */
      locale: 'en' | 'ru'
    }
    PartnerAccount: {
      id: string
      company: {
        id: string
        name: string
      }
      /** @description Integer minor units */
      spent: number
      /** @description Integer minor units */
      held: number
      scopes: ('check' | 'hold' | 'charge')[]
      /** Format: date-time */
      created_at: string
      last_activity_at: string | null
    }
    /** @description Read from the ledger: your revenue accounts, the payouts in flight and those paid */
    PartnerBalance: {
      /** @enum {string} */
      object: 'balance'
      currency: string
      /** @description Revenue not yet paid out and not in a pending payout; below zero only when the operator allows refunds past it */
      available: number
      /** @description Integer minor units */
      pending_payouts: number
      /** @description Integer minor units */
      paid_out_total: number
    }
    Payout: {
      id: string
      /** @enum {string} */
      object: 'payout'
      /** @description Integer minor units */
      amount: number
      currency: string
      description: string | null
      status: 'pending' | 'paid' | 'failed'
      reference: string | null
      failure_reason: string | null
      /** Format: date-time */
      created_at: string
      paid_at: string | null
      failed_at: string | null
    }
    PersonSubscription: {
      id: string
      account: string
      service: string
      quantity: number
      /** @description Integer minor units charged every period: the service price when the subscription started times quantity, fixed for its life */
      amount: number
      currency: string
      interval: 'day' | 'week' | 'month' | 'year'
      interval_count: number
      /** @description active: the current period is paid; past_due: the next period was refused and is retried; canceled: ended */
      status: 'active' | 'past_due' | 'canceled'
      /** Format: date-time */
      current_period_start: string
      /**
       * Format: date-time
       * @description The end of the last paid period
       */
      current_period_end: string
      cancel_at_period_end: boolean
      next_charge_at: string | null
      next_retry_at: string | null
      last_payment_error: {
        code: string
        message: string
      } | null
      canceled_at: string | null
      cancel_reason:
        | (
            | 'payment_failed'
            | 'grant_revoked'
            | 'service_archived'
            | 'canceled_by_partner'
            | 'canceled_by_person'
          )
        | null
      latest_charge: string | null
      /** Format: date-time */
      created_at: string
      /** @description The partner’s OAuth client id, as connected services name it */
      client_id: string
      partner_name: string
      service_name: string
    }
    Ping: {
      company: string
    }
    /** @description What this PROTUS is (no sign-in needed) */
    PlatformStatus: {
      /** @description sandbox: no real money moves; live: real money */
      mode: 'sandbox' | 'live'
      version: string
      /** @description ISO 4217 code of new wallets */
      currency: string
      /** @description whether wallets can be topped up here (false: live mode with no payment provider) */
      topups_available: boolean
    }
    /** @description RFC 9457 problem details with a stable code */
    Problem: {
      type: string
      title: string
      status: number
      code:
        | 'validation_failed'
        | 'malformed_json'
        | 'idempotency_key_required'
        | 'webhook_url_not_public'
        | 'webhook_signature_invalid'
        | 'link_invalid'
        | 'unauthenticated'
        | 'invalid_credentials'
        | 'sign_in_challenge_invalid'
        | 'insufficient_funds'
        | 'partner_balance_insufficient'
        | 'spending_limit_exceeded'
        | 'invalid_client_credentials'
        | 'invalid_signature'
        | 'csrf_token_invalid'
        | 'forbidden'
        | 'insufficient_scope'
        | 'grant_revoked'
        | 'dashboard_only'
        | 'two_factor_required'
        | 'current_password_invalid'
        | 'not_found'
        | 'email_taken'
        | 'username_taken'
        | 'two_factor_already_enabled'
        | 'two_factor_not_enrolled'
        | 'two_factor_not_enabled'
        | 'account_kind_ambiguous'
        | 'email_already_verified'
        | 'hold_not_pending'
        | 'payout_not_pending'
        | 'subscription_canceled'
        | 'subscription_not_past_due'
        | 'idempotency_request_in_progress'
        | 'webhook_endpoint_unavailable'
        | 'link_expired'
        | 'link_used'
        | 'payload_too_large'
        | 'unsupported_media_type'
        | 'idempotency_key_reused'
        | 'capture_exceeds_hold'
        | 'refund_exceeds_charge'
        | 'two_factor_code_invalid'
        | 'currency_mismatch'
        | 'service_inactive'
        | 'service_not_recurring'
        | 'payment_provider_refused'
        | 'too_many_attempts'
        | 'rate_limited'
        | 'internal_error'
        | 'payment_provider_unavailable'
        | 'service_unavailable'
        | 'busy'
        | 'topups_unavailable'
      detail?: string
      request_id: string
      errors?: {
        field: string
        message: string
      }[]
    } & {
      [key: string]: unknown
    }
    Refund: {
      id: string
      /** @enum {string} */
      object: 'refund'
      charge: string
      account: string
      /** @description Integer minor units */
      amount: number
      /** Format: date-time */
      created_at: string
    }
    ReleasedHold: {
      id: string
      /** @enum {string} */
      object: 'hold'
      account: string
      /** @description Integer minor units */
      amount: number
      currency: string
      service: string | null
      quantity: number | null
      description: string | null
      metadata: {
        [key: string]: string
      }
      status: 'pending' | 'captured' | 'released' | 'expired'
      /** @description Integer minor units */
      captured_amount: number
      charge: {
        id: string
        /** @description Integer minor units */
        amount: number
      } | null
      /** Format: date-time */
      expires_at: string
      /** Format: date-time */
      created_at: string
      resolved_at: string | null
      /** @description Set when PROTUS released the hold for the person: they revoked your access, or took the charge scope away */
      reason?: 'grant_revoked' | 'scope_removed'
    }
    RevenueReport: {
      /** @description service: the charge’s service (null for an amount); day, month: in UTC */
      group_by: 'service' | 'day' | 'month'
      data: {
        /** @description The service id (null: charges of an amount), the day (YYYY-MM-DD) or month (YYYY-MM) */
        key: string | null
        currency: string
        /** @description Charges created under the key (captures included) */
        charges_count: number
        /** @description Integer minor units */
        gross: number
        /** @description Refunds made under the key (a day or month: when made), of its charges’ service */
        refunds: number
        /** @description gross − refunds */
        net: number
      }[]
    }
    /** @description The sandbox clock's current time: what every object's times and every time-based rule read */
    SandboxClock: {
      /** Format: date-time */
      now: string
    }
    /** @description A message PROTUS sent to the sandbox mailbox instead of over SMTP */
    SandboxMail: {
      /** @description The message id (`mail_…`) */
      id: string
      /** @description The recipient address */
      to: string
      subject: string
      /** @description The plain-text part */
      text: string
      /** @description The HTML part */
      html: string
      /** Format: date-time */
      created_at: string
      /** Format: date-time */
      sent_at: string
    }
    Service: {
      id: string
      name: string
      price: number
      currency: string
      recurring: {
        interval: 'day' | 'week' | 'month' | 'year'
        count: number
      } | null
      active: boolean
      /** Format: date-time */
      created_at: string
      /** Format: date-time */
      updated_at: string
    }
    /** @description Whether the request carries a live session, and whose it is */
    SessionState:
      | {
          /** @enum {boolean} */
          signed_in: false
        }
      | {
          /** @enum {boolean} */
          signed_in: true
          me: components['schemas']['Me']
        }
    /** @description The password was right; a two-factor code is needed. */
    SignInChallenge: {
      /** @enum {boolean} */
      two_factor_required: true
      /** @description Send it to POST /v1/sessions/two-factor with the code. */
      challenge_id: string
      /** Format: date-time */
      expires_at: string
    }
    SpendingByMonth: {
      /** @enum {string} */
      group_by: 'month'
      currency: string
      /** @description Every month of the period, oldest first, also those with nothing spent */
      data: {
        /** @description The month, YYYY-MM (UTC) */
        key: string
        /** @description Charges (captures included) less refunds, in minor units; below zero when refunds of earlier charges outweigh */
        spent: number
        /** @description Each partner with a charge or refund in the month, most spent first */
        partners: {
          /** @description The partner (`co_…`) */
          partner: string
          name: string
          /** @description Charges (captures included) less refunds, in minor units; below zero when refunds of earlier charges outweigh */
          spent: number
        }[]
      }[]
    }
    SpendingByPartner: {
      /** @enum {string} */
      group_by: 'partner'
      currency: string
      /** @description Each partner with a charge or refund in the period, most spent first */
      data: {
        /** @description The partner (`co_…`) */
        key: string
        name: string
        /** @description Charges (captures included) less refunds, in minor units; below zero when refunds of earlier charges outweigh */
        spent: number
        /** @description Charges and captures in the period */
        charges_count: number
      }[]
    }
    /** @description A subscription to a recurring service. Period n runs from n intervals after created_at to n+1 (UTC, month ends kept: Jan 31 → Feb 28/29 → Mar 31). */
    Subscription: {
      id: string
      account: string
      service: string
      quantity: number
      /** @description Integer minor units charged every period: the service price when the subscription started times quantity, fixed for its life */
      amount: number
      currency: string
      interval: 'day' | 'week' | 'month' | 'year'
      interval_count: number
      /** @description active: the current period is paid; past_due: the next period was refused and is retried; canceled: ended */
      status: 'active' | 'past_due' | 'canceled'
      /** Format: date-time */
      current_period_start: string
      /**
       * Format: date-time
       * @description The end of the last paid period
       */
      current_period_end: string
      cancel_at_period_end: boolean
      next_charge_at: string | null
      next_retry_at: string | null
      last_payment_error: {
        code: string
        message: string
      } | null
      canceled_at: string | null
      cancel_reason:
        | (
            | 'payment_failed'
            | 'grant_revoked'
            | 'service_archived'
            | 'canceled_by_partner'
            | 'canceled_by_person'
          )
        | null
      latest_charge: string | null
      /** Format: date-time */
      created_at: string
      metadata: {
        [key: string]: string
      }
    }
    SubscriptionPaymentFailed: {
      subscription: components['schemas']['Subscription']
      /** @description The refusal: insufficient_funds, spending_limit_exceeded, grant_revoked, … */
      code: string
      next_retry_at: string | null
    }
    SubscriptionRenewed: {
      subscription: components['schemas']['Subscription']
      charge: components['schemas']['Charge']
    }
    Topup: {
      id: string
      /** @description The managed account topped up (partner top-ups only) */
      account?: string
      status: 'pending' | 'succeeded' | 'failed'
      /** @description Integer minor units */
      amount: number
      currency: string
      /** @description The provider's payment page; hand it to the payer */
      checkout_url: string | null
      /** Format: date-time */
      created_at: string
      completed_at: string | null
    }
    TwoFactorStatus: {
      enabled: boolean
      recovery_codes_left: number
      /** @description Companies: rotating a secret needs a code. Always false for people. */
      required_for_secret_rotation: boolean
    }
    /** @description available = posted - held */
    Wallet: {
      currency: string
      /** @description Integer minor units */
      available: number
      /** @description Integer minor units */
      held: number
      /** @description Integer minor units */
      posted: number
    }
    WebhookDelivery: {
      id: string
      /** @enum {string} */
      object: 'webhook_delivery'
      event: {
        id: string
        /** @description The event type */
        type:
          | 'account.created'
          | 'grant.created'
          | 'grant.revoked'
          | 'grant.updated'
          | 'hold.created'
          | 'hold.captured'
          | 'hold.released'
          | 'hold.expired'
          | 'charge.succeeded'
          | 'charge.refunded'
          | 'wallet.topped_up'
          | 'subscription.created'
          | 'subscription.renewed'
          | 'subscription.payment_failed'
          | 'subscription.updated'
          | 'subscription.canceled'
          | 'payout.created'
          | 'payout.paid'
          | 'payout.failed'
          | 'ping'
        /** Format: date-time */
        timestamp: string
        /** @description The object as the API answers it */
        data: unknown
      }
      /** @description pending: not delivered yet (retrying); succeeded: a 2xx answer; failed: the retry schedule ran out; skipped: no webhook URL was set when it was due */
      status: 'pending' | 'succeeded' | 'failed' | 'skipped'
      attempt_count: number
      next_attempt_at: string | null
      /** Format: date-time */
      created_at: string
      completed_at: string | null
      /** @description Every attempt, oldest first */
      attempts: {
        /** Format: date-time */
        attempted_at: string
        url: string
        http_status: number | null
        error: string | null
        duration_ms: number
        response_excerpt: string | null
        succeeded: boolean
        /** @description Sent because of a manual retry */
        manual: boolean
      }[]
    }
    WebhookEndpoint: {
      url: string | null
      status: 'enabled' | 'disabled' | 'not_set'
      disabled_at: string | null
      disabled_reason: string | null
    }
  }
  responses: never
  parameters: never
  requestBodies: never
  headers: never
  pathItems: never
}
export type $defs = Record<string, never>
export interface operations {
  'webhook.account.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'account.created'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Account']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.grant.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'grant.created'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['GrantData']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.grant.revoked': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'grant.revoked'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['GrantData']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.grant.updated': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'grant.updated'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['GrantData']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.hold.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'hold.created'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Hold']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.hold.captured': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'hold.captured'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Hold']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.hold.released': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'hold.released'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['ReleasedHold']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.hold.expired': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'hold.expired'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Hold']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.charge.succeeded': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'charge.succeeded'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Charge']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.charge.refunded': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'charge.refunded'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Refund']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.wallet.topped_up': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'wallet.topped_up'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['ManagedTopup']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.subscription.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'subscription.created'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Subscription']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.subscription.renewed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'subscription.renewed'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['SubscriptionRenewed']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.subscription.payment_failed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'subscription.payment_failed'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['SubscriptionPaymentFailed']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.subscription.updated': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'subscription.updated'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Subscription']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.subscription.canceled': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'subscription.canceled'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Subscription']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.payout.created': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'payout.created'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Payout']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.payout.paid': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'payout.paid'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Payout']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.payout.failed': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'payout.failed'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Payout']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
  'webhook.ping': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    requestBody: {
      content: {
        'application/json': {
          /** @constant */
          type: 'ping'
          /** Format: date-time */
          timestamp: string
          data: components['schemas']['Ping']
        }
      }
    }
    responses: {
      /** @description Received: any 2xx stops the retries */
      200: {
        headers: {
          [name: string]: unknown
        }
        content?: never
      }
    }
  }
}

/** Every event type PROTUS sends, as the server lists them. */
export const webhookEventTypes = [
  'account.created',
  'grant.created',
  'grant.revoked',
  'grant.updated',
  'hold.created',
  'hold.captured',
  'hold.released',
  'hold.expired',
  'charge.succeeded',
  'charge.refunded',
  'wallet.topped_up',
  'subscription.created',
  'subscription.renewed',
  'subscription.payment_failed',
  'subscription.updated',
  'subscription.canceled',
  'payout.created',
  'payout.paid',
  'payout.failed',
  'ping',
] as const

/** Every problem code of the server's catalogue. */
export const problemCodes = [
  'validation_failed',
  'malformed_json',
  'idempotency_key_required',
  'webhook_url_not_public',
  'webhook_signature_invalid',
  'link_invalid',
  'unauthenticated',
  'invalid_credentials',
  'sign_in_challenge_invalid',
  'insufficient_funds',
  'partner_balance_insufficient',
  'spending_limit_exceeded',
  'invalid_client_credentials',
  'invalid_signature',
  'csrf_token_invalid',
  'forbidden',
  'insufficient_scope',
  'grant_revoked',
  'dashboard_only',
  'two_factor_required',
  'current_password_invalid',
  'not_found',
  'email_taken',
  'username_taken',
  'two_factor_already_enabled',
  'two_factor_not_enrolled',
  'two_factor_not_enabled',
  'account_kind_ambiguous',
  'email_already_verified',
  'hold_not_pending',
  'payout_not_pending',
  'subscription_canceled',
  'subscription_not_past_due',
  'idempotency_request_in_progress',
  'webhook_endpoint_unavailable',
  'link_expired',
  'link_used',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_key_reused',
  'capture_exceeds_hold',
  'refund_exceeds_charge',
  'two_factor_code_invalid',
  'currency_mismatch',
  'service_inactive',
  'service_not_recurring',
  'payment_provider_refused',
  'too_many_attempts',
  'rate_limited',
  'internal_error',
  'payment_provider_unavailable',
  'service_unavailable',
  'busy',
  'topups_unavailable',
] as const
