import { isUnstorableEventError } from './unstorable-event';

describe('isUnstorableEventError', () => {
  it('recognises errors caused by an event’s content', () => {
    expect(isUnstorableEventError(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe(true);
    expect(isUnstorableEventError(Object.assign(new Error('timestamp out of range'), { code: '22008' }))).toBe(true);
    expect(isUnstorableEventError(Object.assign(new Error('row is too big'), { code: '54000' }))).toBe(true);
    expect(isUnstorableEventError({ type: 'MESSAGE_TOO_LARGE' })).toBe(true);
  });

  it('leaves store outages and other failures to fail the request', () => {
    expect(isUnstorableEventError(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isUnstorableEventError(Object.assign(new Error('admin shutdown'), { code: '57P01' }))).toBe(false);
    expect(isUnstorableEventError(new Error('boom'))).toBe(false);
    expect(isUnstorableEventError(undefined)).toBe(false);
  });
});
