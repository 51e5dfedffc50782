/**
 * Secret redaction: the last line of defence that keeps API keys out of messages, logs and output.
 * Callers still never put secrets into text on purpose; this catches what slips through
 * (a provider echoing the key in an error detail, a URL with a token).
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Forms in which a secret may appear in text: itself, and the Basic-auth encodings of it. */
function secretForms(secret: string): string[] {
  const forms = [secret, Buffer.from(`${secret}:`).toString('base64'), Buffer.from(secret).toString('base64')];
  return forms.filter((form) => form.length >= 4);
}

/**
 * Replaces every occurrence of each secret (and its base64 forms) in `text`.
 * Secrets shorter than 4 characters are ignored: redacting "a" would mangle every message.
 * @example redact('key sk_live_123 failed', ['sk_live_123']) //=> 'key [redacted] failed'
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of secretForms(secret)) {
      result = result.split(form).join(REDACTED);
    }
  }
  return result;
}
