import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * The envelope a lead's contact travels in (DESIGN §8): AES-256-GCM under the lead's own random
 * 256-bit data key, with the lead id as associated data, so a sealed contact copied onto another
 * lead does not open there. Text form, so it sits in the event's JSON like any field:
 *   v1.<iv>.<ciphertext>.<tag>   (each base64url; a 96-bit random IV, a 128-bit tag)
 * GCM authenticates: a changed byte, a wrong key or a wrong lead id fails to open, never yields
 * other plaintext. Erasure destroys the key, which leaves the envelope in the log unreadable.
 */
const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A new random data key for one lead. */
export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

const aadOf = (leadId: string) => Buffer.from(`lead:${leadId}`, 'utf8');

/** Encrypts `plaintext` for `leadId` under `key`. */
export function seal(key: Buffer, leadId: string, plaintext: string): string {
  if (key.length !== DATA_KEY_BYTES) throw new Error(`a data key has ${DATA_KEY_BYTES} bytes (got ${key.length})`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(leadId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export class EnvelopeRefused extends Error {
  constructor(reason: string) {
    super(`sealed contact cannot be opened: ${reason}`);
    this.name = 'EnvelopeRefused';
  }
}

/** Decrypts what `seal` made for the same key and lead; throws EnvelopeRefused otherwise. */
export function open(key: Buffer, leadId: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new EnvelopeRefused(`not a ${VERSION} envelope`);
  const [iv, body, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new EnvelopeRefused('malformed IV or tag');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadOf(leadId));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    // GCM says only that authentication failed: a wrong key, lead or a changed byte look alike.
    throw new EnvelopeRefused('wrong key, wrong lead or tampered data');
  }
}
