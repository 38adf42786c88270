import { isIP } from 'node:net'

/** The eight 16-bit groups of an IPv6 address (zone removed, a dotted IPv4 tail read as two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, '')
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const before = head ? head.split(':') : []
  const after = tail ? tail.split(':') : []
  const zeros = Array<string>(8 - before.length - after.length).fill('0')
  return [...before, ...(tail === undefined ? [] : zeros), ...after].map((group) =>
    Number.parseInt(group, 16),
  )
}

/**
 * What per-address limits count by: an IPv4 address as it is (also when it arrives IPv4-mapped,
 * `::ffff:10.0.0.1`), and for IPv6 the /64 network (`2001:db8:1:2::/64`), because one host is
 * usually given a whole /64 and can change addresses inside it at will.
 */
export function addressKey(address: string): string {
  const family = isIP(address.replace(/%.*$/, ''))
  if (family !== 6) return address
  const groups = ipv6Groups(address)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6)
    return [high >> 8, high & 255, low >> 8, low & 255].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
