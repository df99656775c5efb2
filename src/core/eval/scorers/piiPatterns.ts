// PII detectors. Pattern plus a checksum where one exists (Luhn for cards, mod-97 for IBAN)
// so order numbers and dates do not count. Results name categories and counts, never the
// matched text: the reason is logged, and logging the PII would defeat the check.

export type PiiCategory = 'email' | 'phone' | 'credit_card' | 'ssn' | 'iban' | 'ip_address';
export const PII_CATEGORIES: readonly PiiCategory[] = ['email', 'phone', 'credit_card', 'ssn', 'iban', 'ip_address'];

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

function ipv4Valid(s: string): boolean {
  return s.split('.').every((o) => o.length <= 3 && Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
}

const detectors: Record<PiiCategory, (text: string) => number> = {
  email: (t) => (t.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g) ?? []).length,
  phone: (t) => {
    const us = t.match(/(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g) ?? [];
    const intl = (t.match(/(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?![\w-])/g) ?? [])
      .filter((m) => { const n = m.replace(/\D/g, '').length; return n >= 8 && n <= 15; });
    return us.length + intl.filter((m) => !us.some((u) => u.includes(m) || m.includes(u))).length;
  },
  credit_card: (t) => (t.match(/(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g) ?? [])
    .map((m) => m.replace(/\D/g, ''))
    .filter((d) => d.length >= 13 && d.length <= 19 && luhnValid(d)).length,
  ssn: (t) => (t.match(/(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g) ?? []).length,
  iban: (t) => (t.match(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g) ?? []).filter(ibanValid).length,
  ip_address: (t) => {
    const v4 = (t.match(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g) ?? []).filter(ipv4Valid).length;
    const v6 = (t.match(/(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:?){1,6}(?![\w:])/g) ?? []).length;
    return v4 + v6;
  },
};

/** Counts per category found in the text (only categories with at least one hit). */
export function detectPii(text: string, categories: readonly PiiCategory[] = PII_CATEGORIES): Partial<Record<PiiCategory, number>> {
  const found: Partial<Record<PiiCategory, number>> = {};
  for (const c of categories) {
    const n = detectors[c](text);
    if (n > 0) found[c] = n;
  }
  return found;
}
