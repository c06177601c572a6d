import { hashSecret, loadConfig } from '@funnel/config';
import { actorOf, ActorRefused, signerOf } from './actor';
import { keyOf } from './authenticate.middleware';
import { LOCAL_PRINCIPAL, principalOfKey } from './principal';

const config = loadConfig({
  API_KEYS: `mia:admin:mia-secret-0123456789,sam:admin:${hashSecret('sam-secret-0123456789')},bi:analyst:bi-secret-0123456789`,
  SIGNERS: 'mia:MARKETING,sam:SALES',
});
const [mia, sam, bi] = config.apiKeys.map(principalOfKey);

describe('keyOf', () => {
  it('finds the key whose hash the presented secret has, plain or hashed in the environment', () => {
    expect(keyOf('mia-secret-0123456789', config.apiKeys)?.name).toBe('mia');
    expect(keyOf('sam-secret-0123456789', config.apiKeys)?.name).toBe('sam');
  });

  it('finds none for a wrong, empty, prefixed or hashed-form secret', () => {
    for (const wrong of [undefined, '', 'mia-secret-012345678', 'mia-secret-01234567890', hashSecret('sam-secret-0123456789')]) {
      expect(keyOf(wrong, config.apiKeys)).toBeUndefined();
    }
  });
});

describe('actorOf', () => {
  it('is the caller with keys set, whatever by says; a different by is refused', () => {
    expect(actorOf(mia, undefined)).toBe('mia');
    expect(actorOf(mia, 'mia')).toBe('mia');
    expect(() => actorOf(mia, 'sam')).toThrow(ActorRefused);
  });

  it('is by, or local, in open mode', () => {
    expect(actorOf(LOCAL_PRINCIPAL, 'Ana')).toBe('Ana');
    expect(actorOf(LOCAL_PRINCIPAL, undefined)).toBe('local');
  });
});

describe('signerOf', () => {
  it('lets each signer sign for their own team only', () => {
    expect(signerOf(mia, config.signers, 'MARKETING', undefined)).toBe('mia');
    expect(signerOf(sam, config.signers, 'SALES', undefined)).toBe('sam');
    expect(() => signerOf(mia, config.signers, 'SALES', undefined)).toThrow(/"mia" may not sign for SALES: SIGNERS lists "sam" for SALES/);
    expect(() => signerOf(sam, config.signers, 'MARKETING', undefined)).toThrow(/may not sign for MARKETING/);
  });

  it('refuses a key that is no signer, and signing in another name', () => {
    expect(() => signerOf(bi, config.signers, 'MARKETING', undefined)).toThrow(/"bi" may not sign/);
    expect(() => signerOf(bi, config.signers, 'MARKETING', 'mia')).toThrow(/cannot record "mia"/);
  });

  it('with keys and no SIGNERS, nobody signs', () => {
    expect(() => signerOf(mia, [], 'MARKETING', undefined)).toThrow(/SIGNERS lists nobody for MARKETING/);
  });

  it('in open mode anyone signs, unless SIGNERS is set', () => {
    expect(signerOf(LOCAL_PRINCIPAL, [], 'SALES', 'Ana')).toBe('Ana');
    expect(() => signerOf(LOCAL_PRINCIPAL, config.signers, 'SALES', 'Ana')).toThrow(/"Ana" may not sign for SALES/);
    expect(signerOf(LOCAL_PRINCIPAL, config.signers, 'SALES', 'sam')).toBe('sam');
  });
});
