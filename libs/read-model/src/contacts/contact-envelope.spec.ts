import fc from 'fast-check';
import { EnvelopeRefused, newDataKey, open, seal } from './contact-envelope';

describe('the contact envelope (AES-256-GCM per lead)', () => {
  const key = newDataKey();
  const contact = JSON.stringify({ email: 'ana@example.com', name: 'Ana Lima', phone: '+55 11 5555-0100' });

  it('opens what it sealed, for any text and lead id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ minLength: 1 }), (plaintext, leadId) => {
        expect(open(key, leadId, seal(key, leadId, plaintext))).toBe(plaintext);
      }),
    );
  });

  it('never shows the plaintext and seals the same text differently each time (random IV)', () => {
    const a = seal(key, 'L-1', contact);
    const b = seal(key, 'L-1', contact);
    expect(a).not.toBe(b);
    for (const word of ['ana@example.com', 'Ana Lima', '5555', Buffer.from('ana@example.com').toString('base64url')]) {
      expect(a).not.toContain(word);
    }
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('detects tampering with any part of the envelope', () => {
    const sealed = seal(key, 'L-1', contact);
    const parts = sealed.split('.');
    for (const at of [1, 2, 3]) {
      const bytes = Buffer.from(parts[at], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = parts.map((p, i) => (i === at ? bytes.toString('base64url') : p)).join('.');
      expect(() => open(key, 'L-1', tampered)).toThrow(EnvelopeRefused);
    }
  });

  it('refuses a wrong key and another lead id (the lead id is authenticated)', () => {
    const sealed = seal(key, 'L-1', contact);
    expect(() => open(newDataKey(), 'L-1', sealed)).toThrow(/wrong key, wrong lead or tampered data/);
    expect(() => open(key, 'L-2', sealed)).toThrow(EnvelopeRefused);
  });

  it('refuses what is not an envelope and a key of the wrong size', () => {
    expect(() => open(key, 'L-1', 'plain text')).toThrow(/not a v1 envelope/);
    expect(() => open(key, 'L-1', 'v1.AAAA.AAAA.AAAA')).toThrow(/malformed IV or tag/);
    expect(() => seal(Buffer.alloc(16), 'L-1', contact)).toThrow(/32 bytes/);
  });
});
