// Head office's 0008_enrollment_books: an enrollment code may name the receipt books to allocate to
// the terminal that uses it (JSON), or none (older codes keep NULL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type HoDb } from '../../../head-office/src/db';
import { issueEnrollmentCode } from '../../../head-office/src/enrollment';

let db: HoDb;
beforeAll(async () => {
  db = await openPglite('memory://');
});
afterAll(async () => db?.close());

describe('head-office migration 0008_enrollment_books', () => {
  it('keeps the books named on a code, and none on a code without', async () => {
    const [v] = await db.query<{ v: number }>('SELECT max(version)::int AS v FROM ho_schema');
    expect(v!.v).toBeGreaterThanOrEqual(8);
    await issueEnrollmentCode(db, {
      name: '一号窗口',
      books: [{ clerkCode: '1001', series: 'A', firstNo: 1, lastNo: 100 }],
    });
    await issueEnrollmentCode(db, { name: '二号窗口' });
    const rows = await db.query<{ name: string; books: string | null }>(
      'SELECT name, books FROM ho_enrollment_codes ORDER BY name',
    );
    expect(rows.map((r) => [r.name, r.books && JSON.parse(r.books)])).toEqual([
      ['一号窗口', [{ clerkCode: '1001', series: 'A', firstNo: 1, lastNo: 100 }]],
      ['二号窗口', null],
    ]);
  });

  it('refuses a book whose last number is before its first', async () => {
    await expect(
      issueEnrollmentCode(db, {
        name: '三号窗口',
        books: [{ clerkCode: '1001', series: 'B', firstNo: 50, lastNo: 10 }],
      }),
    ).rejects.toThrow(/lastNo before firstNo/);
  });
});
