/** SLA breach checks and their webhook alerts (DESIGN §7). */
export interface AlertConfig {
  /** Seconds between two breach checks; 0 turns the checker off. */
  readonly slaCheckSeconds: number;
  /** Where breaches are POSTed; unset = recorded only. */
  readonly webhookUrl?: string;
  /** Signs each body (X-Funnel-Signature: sha256=<hex HMAC-SHA256>); unset = unsigned. */
  readonly webhookSecret?: string;
  /** Breaches whose deadline is older than this when found are recorded, not notified. */
  readonly maxAgeHours: number;
}

/** Reads the alert keys with `get` (trimmed, undefined when empty), pushing one message per bad key. */
export function checkAlertConfig(get: (key: string) => string | undefined, problems: string[]): AlertConfig {
  const number = (key: string, text: string | undefined, fallback: number, ok: (n: number) => boolean, rule: string): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!ok(n)) problems.push(`${key} must be ${rule}, got "${text}"`);
    return n;
  };
  const slaCheckSeconds = number('SLA_CHECK_SECONDS', get('SLA_CHECK_SECONDS'), 30, (n) => Number.isInteger(n) && n >= 0 && n <= 86_400, 'a whole number of seconds from 0 (off) to 86400');
  const maxAgeHours = number('ALERT_MAX_AGE_HOURS', get('ALERT_MAX_AGE_HOURS'), 24, (n) => Number.isFinite(n) && n >= 0, 'a number of hours >= 0');
  const webhookUrl = get('ALERT_WEBHOOK_URL');
  if (webhookUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(webhookUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') problems.push(`ALERT_WEBHOOK_URL must be an http:// or https:// URL, got "${webhookUrl}"`);
  }
  const webhookSecret = get('ALERT_WEBHOOK_SECRET');
  return { slaCheckSeconds, maxAgeHours, ...(webhookUrl ? { webhookUrl } : {}), ...(webhookSecret ? { webhookSecret } : {}) };
}
