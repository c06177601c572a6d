import { applyLayout, replicatedEngine } from './clickhouse-layout';

const DDL = `CREATE TABLE t {{on_cluster}} (id String) ENGINE = {{engine:t:ReplacingMergeTree}} ORDER BY id;
EXCHANGE TABLES t AND t2 {{ on_cluster }}`;

describe('migration layout placeholders', () => {
  it('one node by default: no ON CLUSTER, the engine family itself', () => {
    expect(applyLayout(DDL)).toBe(`CREATE TABLE t  (id String) ENGINE = ReplacingMergeTree ORDER BY id;
EXCHANGE TABLES t AND t2 `);
  });

  it('a cluster: ON CLUSTER on every statement and the engine the layout picks per table', () => {
    const sql = applyLayout(DDL, { cluster: 'funnel', engine: replicatedEngine });
    expect(sql).toBe(`CREATE TABLE t ON CLUSTER funnel (id String) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY id;
EXCHANGE TABLES t AND t2 ON CLUSTER funnel`);
    const perTable = applyLayout(DDL, { engine: (table, family) => `${family}_${table}` });
    expect(perTable).toContain('ENGINE = ReplacingMergeTree_t ORDER BY id');
  });

  it('refuses unknown placeholders and cluster names that are not identifiers', () => {
    expect(() => applyLayout('CREATE TABLE {{tabel}}')).toThrow('unknown migration placeholder {{tabel}}');
    expect(() => applyLayout(DDL, { cluster: 'x; DROP TABLE t' })).toThrow('invalid ClickHouse cluster name');
  });
});
