// Stands in for chdb and PGlite in the unit tier (jest.config.js). Loading this is free, so a
// unit spec may import a barrel that re-exports an adapter; using it throws, because a spec
// that runs an embedded database is an integration test (*.int-spec.ts).
const NOT_AN_EXPORT = new Set<PropertyKey>(['__esModule', 'then', 'default']);

module.exports = new Proxy(
  {},
  {
    get(_target, property) {
      if (typeof property === 'symbol' || NOT_AN_EXPORT.has(property)) return undefined;
      throw new Error(
        `a unit spec (*.spec.ts) used ${String(property)} of chdb or PGlite: embedded databases belong in *.int-spec.ts`,
      );
    },
  },
);
