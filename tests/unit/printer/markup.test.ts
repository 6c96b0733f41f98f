import { describe, expect, it } from 'vitest';
import {
  escapeMarkup,
  fillTemplate,
  TemplateError,
} from '../../../src-main/devices/printer/markup';
import { transform } from 'receiptline';

describe('template filler', () => {
  it('substitutes values, sections, inverted sections and dotted names', () => {
    const out = fillTemplate(
      'A {{x}}\n{{#items}}\n- {{name}}: {{y.z}}\n{{/items}}\n{{^none}}\nempty\n{{/none}}\n',
      { x: 1, items: [{ name: 'a' }, { name: 'b' }], y: { z: 'deep' }, none: [] },
    );
    expect(out).toBe('A 1\n- a: deep\n- b: deep\nempty\n');
  });

  it('refuses a placeholder without a value and unbalanced sections', () => {
    expect(() => fillTemplate('{{missing}}', {})).toThrow(TemplateError);
    expect(() => fillTemplate('{{#a}}x', { a: true })).toThrow(/unclosed/);
    expect(() => fillTemplate('{{/a}}', {})).toThrow(/unexpected/);
  });

  it.each([
    ['pipes and braces', 'A|B{code:x}'],
    ['emphasis and invert', '"bold" `inv` _u_ ^big^'],
    ['rule and cut look-alikes', '-----'],
    ['cut', '===='],
    ['backslash', 'C:\\tmp\\'],
    ['control characters', 'a\nb\x1b@c'],
  ])('escaped values print literally: %s', (_label, value) => {
    const text = transform(`|${escapeMarkup(value)}\n`, { cpl: 48, command: 'text' });
    expect(text.split('\n')[0]!.trimEnd()).toBe(
      value.replaceAll('\n', ' ').replaceAll('\u001b', ' '),
    );
  });
});
