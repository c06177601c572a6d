import fc from 'fast-check';

/**
 * Values a hostile or careless client sends, for fuzzing the public HTTP and GraphQL contract
 * (issue 12 item 7): each class below once reached a store or an internal error.
 */
export interface HostileArbitraries {
  readonly text: fc.Arbitrary<string>;
  readonly instant: fc.Arbitrary<string>;
  readonly number: fc.Arbitrary<number>;
  readonly value: fc.Arbitrary<unknown>;
  /** A JSON object made hostile in one way: a field replaced, removed or added, or the whole thing swapped. */
  readonly mutated: (event: Record<string, unknown>) => fc.Arbitrary<unknown>;
}

let built: HostileArbitraries | undefined;

/**
 * Built on first use, not at import: fast-check tokenises the string arbitraries' bias values
 * when they are made (about a second), and every suite importing `@funnel/testing` would pay it.
 */
export function hostileArbitraries(): HostileArbitraries {
  if (built) return built;
  const hostileText = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'web\u0000',
      '\u0000',
      'x\ud800',
      '\udfff',
      'x\ud800\udc00', // a valid pair, next to the lone ones
      '\ufffd',
      '__proto__',
      'constructor',
      'null',
      'NaN',
      'Infinity',
      '1e308',
      'yesterday',
      "'; DROP TABLE event_log; --",
      '{{7*7}}',
      '\\',
      '"',
      '\n\r\t',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ minLength: 1_000, maxLength: 20_000 }),
  );

  const hostileInstant = fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-01:00',
    '10000-01-01T00:00:00Z',
    '2018-02-30T00:00:00Z',
    '01/02/2018',
    '2018-02-01T00:00:00',
    '2018-02-01',
    '2026-03-02T25:00:00Z',
    '2026-03-02T10:15:00+24:00',
    '2026-03-02T10:15:00.123456789Z',
    '2026-03-02T10:15:00Z',
    '-000001-01-01T00:00:00Z',
  );

  const hostileNumber = fc.oneof(
    fc.constantFrom(1e308, -1e308, 5e-324, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e15, 999_999_999_999_999.9, 0.1, -1, 0),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
  );

  /** Nesting deep enough to hurt a recursive walker, shallow enough for JSON.parse. */
  const deepValue = fc.integer({ min: 10, max: 2_000 }).map((depth) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
    return v;
  });

  const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
    hostileText,
    hostileInstant,
    hostileNumber,
    fc.constantFrom(null, true, false, [], {}, [1, 2, 3], { leadId: 'nested' }),
    deepValue,
    fc.dictionary(hostileText, fc.oneof(hostileText, hostileNumber), { maxKeys: 5 }),
  );
  built = { text: hostileText, instant: hostileInstant, number: hostileNumber, value: hostileValue, mutated: mutatedBy(hostileText, hostileValue) };
  return built;
}

/** A JSON object made hostile in one way: a field replaced, removed or added, or the whole thing swapped. */
function mutatedBy(hostileText: fc.Arbitrary<string>, hostileValue: fc.Arbitrary<unknown>) {
  return (event: Record<string, unknown>): fc.Arbitrary<unknown> => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const envelopeKeys = Object.keys(event);
    const dataKeys = Object.keys(data);
    const keyOf = (keys: string[]) => (keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('data'));
    return fc.oneof(
      fc.tuple(keyOf(envelopeKeys), hostileValue).map(([k, v]) => ({ ...event, [k]: v })),
      fc.tuple(keyOf(dataKeys), hostileValue).map(([k, v]) => ({ ...event, data: { ...data, [k]: v } })),
      keyOf(envelopeKeys).map((k) => omit(event, k)),
      keyOf(dataKeys).map((k) => ({ ...event, data: omit(data, k) })),
      fc.tuple(hostileText, hostileValue).map(([k, v]) => ({ ...event, data: { ...data, [k]: v } })),
      fc.tuple(hostileText, hostileValue).map(([k, v]) => ({ ...event, [k]: v })),
      hostileValue,
    );
  };
}

function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = o;
  return rest;
}
