import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The shipped docs stand on their own and match the code: every relative link of README.md and docs/*.md points at a
 * file inside the repository, and every #anchor at a heading of its target.
 */
const ROOT = resolve(__dirname, '..');
const DOCS = ['README.md', 'docs/events.md', 'docs/metrics.md', 'docs/operations.md'];

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (file: string) =>
  new Set(readFileSync(file, 'utf8').split('\n').flatMap((line) => (/^#{1,6} /.test(line) ? [slug(line.replace(/^#+ /, ''))] : [])));

describe.each(DOCS)('%s', (doc) => {
  const text = readFileSync(join(ROOT, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));

  it('links only to files and headings inside the repository', () => {
    const broken = links.filter((link) => {
      const [path, anchor] = link.split('#');
      const target = path === '' ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), path);
      if (relative(ROOT, target).startsWith('..') || !existsSync(target)) return true;
      return anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('does not send the reader to the project workspace for the contract', () => {
    expect(text).not.toMatch(/shared\/DESIGN|DESIGN\.md/);
  });
});

describe('docs/operations.md', () => {
  it('documents every environment variable libs/config reads', () => {
    const configDir = join(ROOT, 'libs/config/src');
    const sources = readdirSync(configDir).filter((f) => f.endsWith('.ts') && !f.includes('spec'));
    const code = sources.map((f) => readFileSync(join(configDir, f), 'utf8')).join('\n');
    const keys = [...new Set([...code.matchAll(/get\('([A-Z_]+)'\)/g)].map((m) => m[1]))];
    const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    expect(keys.length).toBeGreaterThanOrEqual(10);
    expect(keys.filter((key) => !doc.includes(`| \`${key}\` |`))).toEqual([]);
  });
});
