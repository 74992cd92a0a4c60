import { afterAll, describe, expect, it } from 'vitest';
import { i18n } from '../../../renderer/i18n';
import { compact, spokenDuration } from '../../../renderer/ui/format';

afterAll(() => i18n.changeLanguage('en'));

describe('spokenDuration', () => {
  it('says a length of time in words, rounding once so a minute never reads "60 s"', async () => {
    await i18n.changeLanguage('en');
    expect(spokenDuration(0.42)).toBe('0.4 s');
    expect(spokenDuration(24.4)).toBe('24 s');
    expect(spokenDuration(75)).toBe('1 min 15 s');
    expect(spokenDuration(119.6)).toBe('2 min 0 s');
    expect(spokenDuration(7300)).toBe('2 h 2 min');
  });

  it('says it in Korean when the app is in Korean', async () => {
    await i18n.changeLanguage('ko');
    expect(spokenDuration(479)).toBe('7분 59초');
    expect(spokenDuration(7300)).toBe('2시간 2분');
  });
});

describe('compact', () => {
  it('groups whole numbers as Intl does in both languages, and shortens large ones', async () => {
    for (const language of ['en', 'ko']) {
      await i18n.changeLanguage(language);
      const intl = new Intl.NumberFormat(language === 'ko' ? 'ko-KR' : 'en-US');
      for (const n of [0, 7, 999, 1000, 1234, 9999, -42, -1234]) expect(compact(n)).toBe(intl.format(n));
      expect(compact(0.25)).toBe(intl.format(0.25));
    }
    expect(compact(12_345)).toBe('12.3k');
    expect(compact(1_234_567)).toBe('1.23M');
    expect(compact(5e9)).toBe('5.00G');
  });
});
