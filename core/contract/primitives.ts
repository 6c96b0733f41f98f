import { z } from 'zod';

import { MAX_FEN } from '../money';

export { MAX_FEN };

export const fen = z.number().int().min(0).max(MAX_FEN);
export const positiveFen = z.number().int().min(1).max(MAX_FEN);
/** Sums over many receipts (day, month, perpetual totals) may exceed one payment's ceiling. */
export const totalFen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const id = z.string().min(1).max(64);
export const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'uuid');
export const sessionToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'session token');
export const clerkCode = z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'clerk code');
export const pin = z.string().regex(/^\d{4,12}$/, 'PIN: 4-12 digits');
export const isoTime = z.string().max(40);
export const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const category = z.enum(['residential', 'commercial', 'public']);
export const role = z.enum(['clerk', 'supervisor']);
export const shortText = (max: number) => z.string().trim().min(1).max(max);
/** A text for the clerk in both languages. */
export const localized = z.object({ 'zh-CN': z.string(), en: z.string() });
