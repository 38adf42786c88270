import { type TSchema, Type } from 'typebox'
import { type IdPrefix, idPattern } from './ids.js'
import { problemCatalogue } from './problems.js'

/** Shared schema pieces: every object is closed, so unknown fields are a 400. */
/** ISO 8601 on the wire; services hand Date objects to the serializer. */
export const Timestamp = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' })
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
export const Password = Type.String({ minLength: 8, maxLength: 256 })
export const PublicId = (prefix: IdPrefix) => Type.String({ pattern: idPattern(prefix) })

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.Union(Object.keys(problemCatalogue).map((code) => Type.Literal(code))),
    detail: Type.Optional(Type.String()),
    request_id: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details with a stable code' },
)

/** `{ data, has_more }` page of a cursor-paginated list. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), has_more: Type.Boolean() }, { additionalProperties: false })

/** A list's `created[gte]` and `created[lt]` (ISO 8601, checked by its schema) as times. */
export function createdRange(query: { 'created[gte]'?: string; 'created[lt]'?: string }) {
  const at = (v: string | undefined) => (v === undefined ? undefined : new Date(v))
  return { createdGte: at(query['created[gte]']), createdLt: at(query['created[lt]']) }
}

/** A CSV download's 200 response in the OpenAPI document. */
export function csvResponse(what: string) {
  return {
    description: `${what} as CSV (\`Content-Disposition: attachment\`)`,
    content: { 'text/csv': { schema: { type: 'string' } } },
  }
}

export const PageQuery = (prefix: IdPrefix) => ({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  starting_after: Type.Optional(PublicId(prefix)),
})

/** Responses every route may give besides its own. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('Problem')]))

/** OpenAPI security of routes a partner reaches with its dashboard session or its client credentials. */
export const partnerSecurity: { [scheme: string]: string[] }[] = [{ basicAuth: [] }, { sessionCookie: [] }]

/** An amount of money in integer minor units as answered: services hand bigint to the serializer. */
export const MinorUnits = Type.Unsafe<bigint | number>({
  type: 'integer',
  description: 'Integer minor units',
})
